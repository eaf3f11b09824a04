//! Finding knowledge-base articles: search with the query language, and suggestions for a
//! ticket being written (the self-service step of seeds 000, 001 and 002).

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use super::matching::SearchField;
use super::query::SearchQuery;
use crate::domain::fold::words;
use crate::domain::{Article, ArticleStatus, Language, Visibility};

/// Which articles a reader may see.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ArticleScope {
    /// Only articles in this language.
    pub language: Option<Language>,
    /// Drafts too (agents).
    pub include_drafts: bool,
    /// Internal articles too (agents).
    pub include_internal: bool,
}

impl ArticleScope {
    /// Whether `article` is in scope.
    pub fn contains(&self, article: &Article) -> bool {
        self.language.is_none_or(|l| article.language == l)
            && (self.include_drafts || article.status == ArticleStatus::Published)
            && (self.include_internal || article.visibility == Visibility::Public)
    }
}

/// A search over articles: every included term matches the title or the body, no excluded
/// term matches either. Results: most recently updated first, then by id.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ArticleSearch {
    /// What to find.
    pub query: SearchQuery,
    /// Where to look.
    pub scope: ArticleScope,
}

impl ArticleSearch {
    /// Whether `article` is a result.
    pub fn matches(&self, article: &Article) -> bool {
        if !self.scope.contains(article) {
            return false;
        }
        let fields = [
            SearchField::new(article.title.as_str()),
            SearchField::new(article.body.as_str()),
        ];
        let found = |t: &super::Term| fields.iter().any(|f| t.matches(f));
        self.query.include.iter().all(found) && !self.query.exclude.iter().any(found)
    }
}

/// Suggestions for a text (a new ticket's subject and description): articles that share
/// its words, best first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArticleSuggest {
    /// The distinct folded words of the text worth matching (3 characters or more, at most
    /// [`MAX_WORDS`](Self::MAX_WORDS)), in their first order.
    pub words: Vec<String>,
    /// Where to look.
    pub scope: ArticleScope,
}

impl ArticleSuggest {
    /// The most words a suggestion looks for.
    pub const MAX_WORDS: usize = 32;

    /// Suggestions for `text` within `scope`. Words that say nothing about the problem
    /// ("the", "пожалуйста", "سلام", ...: [`STOP_WORDS`]) are left out.
    ///
    /// ```
    /// use helpdesk_core::search::{ArticleScope, ArticleSuggest};
    /// let s = ArticleSuggest::new("Hello, the router does not work, please help", ArticleScope::default());
    /// assert_eq!(s.words, ["router", "work", "help"]);
    /// ```
    pub fn new(text: &str, scope: ArticleScope) -> Self {
        let mut seen = BTreeSet::new();
        let words = words(text)
            .into_iter()
            .filter(|w| w.chars().count() >= 3 && !is_stop_word(w) && seen.insert(w.clone()))
            .take(Self::MAX_WORDS)
            .collect();
        Self { words, scope }
    }

    /// How well `article` fits: 2 for each word in its title, 1 for each in its body (a word
    /// in both counts 3); 0 when out of scope or sharing no word. Results are the articles
    /// scoring above 0, by score, then more "helped" votes, then id.
    pub fn score(&self, article: &Article) -> u32 {
        if !self.scope.contains(article) {
            return 0;
        }
        let title: BTreeSet<String> = words(article.title.as_str()).into_iter().collect();
        let body: BTreeSet<String> = words(article.body.as_str()).into_iter().collect();
        self.words
            .iter()
            .map(|w| 2 * u32::from(title.contains(w)) + u32::from(body.contains(w)))
            .sum()
    }
}

/// Words of three letters or more that carry no meaning for matching articles, in the four
/// languages of the desk (matched after folding, so accents and letter forms don't matter).
pub const STOP_WORDS: &[&str] = &[
    // English
    "the",
    "and",
    "for",
    "with",
    "not",
    "you",
    "your",
    "our",
    "are",
    "was",
    "were",
    "this",
    "that",
    "these",
    "those",
    "have",
    "has",
    "had",
    "from",
    "but",
    "can",
    "cannot",
    "could",
    "would",
    "should",
    "will",
    "what",
    "when",
    "where",
    "which",
    "who",
    "why",
    "how",
    "all",
    "any",
    "some",
    "there",
    "their",
    "they",
    "them",
    "then",
    "than",
    "into",
    "about",
    "does",
    "did",
    "just",
    "also",
    "very",
    "please",
    "hello",
    "thanks",
    "thank",
    "after",
    "before",
    "again",
    "still",
    "its",
    "too",
    "dear",
    // Romanian
    "care",
    "este",
    "sunt",
    "pentru",
    "din",
    "sau",
    "dar",
    "mai",
    "foarte",
    "acest",
    "această",
    "aceasta",
    "acum",
    "când",
    "cum",
    "unde",
    "fost",
    "are",
    "avem",
    "nici",
    "doar",
    "după",
    "bună",
    "ziua",
    "mulțumesc",
    "vreau",
    "pot",
    "poate",
    "vă",
    "rog",
    // Russian
    "что",
    "это",
    "как",
    "для",
    "нет",
    "или",
    "когда",
    "где",
    "так",
    "уже",
    "еще",
    "меня",
    "мне",
    "мой",
    "моя",
    "мои",
    "вас",
    "вам",
    "ваш",
    "они",
    "она",
    "оно",
    "был",
    "была",
    "были",
    "есть",
    "при",
    "без",
    "над",
    "под",
    "после",
    "перед",
    "очень",
    "пожалуйста",
    "здравствуйте",
    "спасибо",
    "все",
    "только",
    "тоже",
    "также",
    "если",
    "чтобы",
    // Persian
    "این",
    "آن",
    "که",
    "با",
    "را",
    "در",
    "برای",
    "است",
    "هست",
    "نیست",
    "من",
    "ما",
    "شما",
    "یک",
    "هم",
    "اما",
    "یا",
    "چه",
    "چرا",
    "کجا",
    "وقتی",
    "سلام",
    "لطفا",
    "لطفاً",
    "ممنون",
    "مرسی",
    "دارم",
    "دارد",
    "شده",
    "کنم",
    "کنید",
];

/// Whether the folded word `word` is one of the [`STOP_WORDS`].
fn is_stop_word(word: &str) -> bool {
    static FOLDED: std::sync::LazyLock<BTreeSet<String>> =
        std::sync::LazyLock::new(|| STOP_WORDS.iter().flat_map(|w| words(w)).collect());
    FOLDED.contains(word)
}
