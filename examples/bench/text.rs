//! The seeded text: subjects and message bodies in English, Romanian, Russian and Persian,
//! each about one of eight topics, so that a search for one topic word matches a known share.

use helpdesk::domain::Language;

/// The languages, in the order tickets cycle through them.
pub const LANGUAGES: [Language; 4] = [
    Language::English,
    Language::Romanian,
    Language::Russian,
    Language::Persian,
];

/// The word the filtered search looks for: topic 1 in English and Romanian, so it is in the
/// subject and first message of 1/16 of the tickets.
pub const SEARCH_WORD: &str = "router";

const TOPICS: [[&str; 8]; 4] = [
    [
        "printer", "router", "invoice", "password", "delivery", "refund", "screen", "account",
    ],
    [
        "imprimanta",
        "router",
        "factura",
        "parola",
        "livrare",
        "rambursare",
        "ecran",
        "cont",
    ],
    [
        "принтер",
        "роутер",
        "счёт",
        "пароль",
        "доставка",
        "возврат",
        "экран",
        "аккаунт",
    ],
    [
        "چاپگر",
        "مودم",
        "فاکتور",
        "گذرواژه",
        "تحویل",
        "بازپرداخت",
        "صفحه",
        "حساب",
    ],
];

const SUBJECTS: [&str; 4] = [
    "Problem with the {t} since yesterday",
    "Problemă cu {t} de ieri",
    "Проблема: {t} не работает со вчерашнего дня",
    "مشکل {t} از دیروز",
];

const BODIES: [[&str; 3]; 4] = [
    [
        "Hello, my {t} stopped working yesterday evening. Reference {n}. Please help.",
        "Thank you for writing. Please restart the {t} and tell us what you see.",
        "I restarted the {t} twice, the light is still red. Case {n}.",
    ],
    [
        "Bună ziua, {t} nu mai funcționează de aseară. Referința {n}. Vă rog ajutați-mă.",
        "Vă mulțumim. Vă rugăm să reporniți {t} și să ne spuneți ce vedeți.",
        "Am repornit {t} de două ori, lumina este tot roșie. Cazul {n}.",
    ],
    [
        "Здравствуйте, {t} перестал работать вчера вечером. Номер {n}. Помогите, пожалуйста.",
        "Спасибо за обращение. Перезапустите {t} и напишите, что вы видите.",
        "Я дважды перезапустил {t}, индикатор всё ещё красный. Дело {n}.",
    ],
    [
        "سلام، {t} از دیشب کار نمی‌کند. شماره {n}. لطفاً کمک کنید.",
        "از پیام شما سپاسگزاریم. لطفاً {t} را دوباره راه‌اندازی کنید.",
        "{t} را دو بار راه‌اندازی کردم، چراغ هنوز قرمز است. پرونده {n}.",
    ],
];

/// The subject and three message bodies of the `i`-th ticket, whose language is `lang`
/// (an index into [`LANGUAGES`]).
pub fn ticket_text(i: usize, lang: usize) -> (String, [String; 3]) {
    let topic = TOPICS[lang][(i / 16) % 8];
    let n = i.to_string();
    let fill = |s: &str| s.replace("{t}", topic).replace("{n}", &n);
    (
        fill(SUBJECTS[lang]),
        [
            fill(BODIES[lang][0]) + crate::reads::rare_suffix(i),
            fill(BODIES[lang][1]),
            fill(BODIES[lang][2]),
        ],
    )
}
