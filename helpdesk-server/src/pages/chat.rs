//! The live chat on the pages (issue 8): the chat widget of the customer pages and the chat
//! panel of the agent console, both talking to `/api/v1/chats…` and the WebSocket
//! `/chat/ws` (see [`crate::chat`]).

use helpdesk::domain::Actor;
use maud::{Markup, PreEscaped, html};

use crate::extract::PageUser;

const CHAT_CSS: &str = r#"
#chat-widget{position:fixed;bottom:1em;inset-inline-end:1em;z-index:10;font-size:.95em}
#chat-open{background:#263238;color:#fff;border:0;border-radius:2em;padding:.7em 1.2em;cursor:pointer}
#chat-window{width:22em;max-height:34em;display:flex;flex-direction:column;background:#fff;border:1px solid #bbb;border-radius:.5em;box-shadow:0 2px 12px #0003}
#chat-window[hidden]{display:none}
.chat-head{background:#263238;color:#fff;padding:.4em .6em;display:flex;justify-content:space-between;align-items:center;border-radius:.5em .5em 0 0}
.chat-head button{background:none;border:0;color:#fff;font-size:1.2em;cursor:pointer}
.chat-body{padding:.5em;overflow-y:auto;flex:1}
.chat-note{color:#555;font-size:.85em;margin:.2em 0 .5em}
.chat-log{display:flex;flex-direction:column;gap:.3em}
.chat-msg{padding:.3em .5em;border-radius:.4em;white-space:pre-wrap;max-width:85%}
.chat-msg .meta{display:block;font-size:.75em}
.chat-msg.from-customer{background:#e3f2fd;align-self:flex-end}
.chat-msg.from-agent{background:#f1f8e9;align-self:flex-start}
.chat-article{background:#fffde7;border:1px solid #ffe082;border-radius:.3em;padding:.3em;margin:.3em 0;white-space:pre-wrap}
.chat-status{color:#37474f;font-style:italic;margin:.3em 0}
.chat-actions button,.chat-actions a{margin:.15em}
.chat-form{display:flex;gap:.3em;padding:.4em;border-top:1px solid #ddd}
.chat-form input{flex:1}
#chat-panel .chat-conv{background:#fff;border:1px solid #ddd;border-radius:.3em;padding:.5em;margin:.5em 0;max-width:40em}
#chat-panel .chat-conv .chat-log{max-height:18em;overflow-y:auto}
"#;

/// The chat widget, bottom-right on every customer page (nothing for agents).
pub fn widget(user: &PageUser) -> Markup {
    let Actor::Customer(id) = user.actor() else {
        return html! {};
    };
    html! {
        style { (PreEscaped(CHAT_CSS)) }
        div #chat-widget data-csrf=(user.csrf) data-me=(id) {
            button #chat-open type="button" { "💬 Chat with us" }
            div #chat-window hidden {
                div.chat-head { strong { "Chat" } button #chat-close type="button" title="Close" { "×" } }
                div.chat-body #chat-body {
                    p.chat-note #chat-note {
                        "An automatic assistant answers first, with articles from our knowledge base "
                        "(it does not make up answers). Ask for a person at any time. "
                        "The conversation is kept as a ticket, so nothing is lost."
                    }
                    form #chat-start {
                        label { "Department " select #chat-department {} }
                        textarea #chat-question placeholder="Your question" required {}
                        button type="submit" { "Ask" }
                    }
                    div.chat-log #chat-log {}
                    div #chat-suggestions {}
                    div.chat-actions #chat-actions hidden {
                        button #chat-helped type="button" { "This helped" }
                        button #chat-person type="button" { "Talk to a person" }
                        button #chat-ticket type="button" { "Open a ticket" }
                    }
                    div.chat-status #chat-status {}
                    div.chat-actions #chat-after hidden {
                        a #chat-ticket-link href="#" { "The chat's ticket" }
                        " "
                        button #chat-end type="button" { "End chat" }
                        button #chat-new type="button" hidden { "New chat" }
                    }
                }
                form.chat-form #chat-form hidden {
                    input #chat-input type="text" autocomplete="off" placeholder="Write a message";
                    button type="submit" { "Send" }
                }
            }
        }
        script { (PreEscaped(COMMON_JS)) (PreEscaped(WIDGET_JS)) }
    }
}

const COMMON_JS: &str = r#"
function hdSocket(chat){return new WebSocket((location.protocol==='https:'?'wss://':'ws://')+location.host+'/chat/ws?chat='+encodeURIComponent(chat));}
function hdMessage(log,m){var d=document.createElement('div');d.className='chat-msg from-'+m.from;d.dataset.id=m.id;
  var who=document.createElement('span');who.className='meta';who.textContent=m.author_name+' · '+new Date(m.created_at).toLocaleTimeString();
  var body=document.createElement('span');body.className='chat-text';body.textContent=m.body;d.appendChild(who);d.appendChild(body);log.appendChild(d);
  if(log.parentNode)log.parentNode.scrollTop=log.parentNode.scrollHeight;log.scrollTop=log.scrollHeight;}
function hdEnded(end){return {answered:'The assistant answered it: the chat is closed.',by_customer:'You left the chat.',by_agent:'The chat is over.',no_agent:'Nobody was free in time: your question waits as a ticket and an agent will answer it there.'}[end]||'The chat is over.';}
"#;

const WIDGET_JS: &str = r#"
(function(){
  var root=document.getElementById('chat-widget');if(!root)return;
  var $=function(id){return document.getElementById(id);};
  var KEY='hd_chat_'+root.dataset.me, csrf=root.dataset.csrf;
  var ws=null, chat=null, ticket=null, ended=false, first=true, toTicket=false, seen={};
  function open(v){$('chat-window').hidden=!v;$('chat-open').hidden=v;}
  function status(t){$('chat-status').textContent=t;}
  function departments(){var s=$('chat-department');if(s.options.length)return;
    fetch('/api/v1/departments').then(function(r){return r.json();}).then(function(d){(d.items||[]).forEach(function(x){
      if(x.active===false)return;var o=document.createElement('option');o.value=x.id;o.textContent=x.name;s.appendChild(o);});});}
  function reset(){localStorage.removeItem(KEY);if(ws){ws.onclose=null;ws.close();}ws=null;chat=null;ticket=null;ended=false;first=true;seen={};
    $('chat-log').textContent='';$('chat-suggestions').textContent='';status('');$('chat-start').hidden=false;$('chat-question').value='';
    $('chat-actions').hidden=true;$('chat-after').hidden=true;$('chat-form').hidden=true;$('chat-new').hidden=true;$('chat-end').hidden=false;}
  function send(frame){if(ws&&ws.readyState===1)ws.send(JSON.stringify(frame));}
  function suggestions(items){var box=$('chat-suggestions');box.textContent='';
    var p=document.createElement('p');p.className='chat-note';
    if(!items.length){p.id='chat-no-article';p.textContent='The assistant found no article in the knowledge base for this.';box.appendChild(p);return;}
    p.textContent='From the knowledge base:';box.appendChild(p);
    items.forEach(function(a){var d=document.createElement('div');d.className='chat-article';var h=document.createElement('strong');h.textContent=a.title;
      var b=document.createElement('div');b.textContent=a.body;d.appendChild(h);d.appendChild(b);box.appendChild(d);});}
  function place(p){
    $('chat-actions').hidden=p.state!=='assistant';$('chat-after').hidden=false;
    $('chat-form').hidden=p.state==='ended';
    if(p.state==='assistant')status('The assistant answers from the knowledge base. Not what you need? Talk to a person.');
    else if(p.state==='queued')status('Waiting for a person: you are number '+p.position+' in the queue.');
    else if(p.state==='with_agent'){status('You are talking to '+p.agent_name+'.');$('chat-suggestions').textContent='';}
    else {status(hdEnded(p.end));$('chat-end').hidden=true;$('chat-new').hidden=false;}
  }
  function connect(id){
    chat=id;$('chat-start').hidden=true;ws=hdSocket(id);var sock=ws;
    sock.onmessage=function(e){var f=JSON.parse(e.data);
      if(f.chat){ticket=f.chat.ticket_id;var a=$('chat-ticket-link');a.href='/tickets/'+ticket;a.textContent='Ticket #'+(f.chat.ticket_number||'');}
      if(f.message&&!seen[f.message.id]){seen[f.message.id]=1;hdMessage($('chat-log'),f.message);}
      if(f.suggestions)suggestions(f.suggestions);
      if(f.place){if(first&&f.place.state==='ended'&&!toTicket){reset();open(false);return;}first=false;place(f.place);}
      if(f.ended){ended=true;localStorage.removeItem(KEY);if(toTicket&&ticket)location.href='/tickets/'+ticket;}
      if(f.error)status(f.error.message);};
    sock.onclose=function(){if(ws===sock&&!ended)setTimeout(function(){if(ws===sock)connect(id);},1500);};
  }
  $('chat-open').onclick=function(){open(true);departments();};
  $('chat-close').onclick=function(){open(false);if(ended)reset();};
  $('chat-new').onclick=function(){reset();departments();};
  $('chat-start').onsubmit=function(e){e.preventDefault();var text=$('chat-question').value.trim();if(!text)return;
    fetch('/api/v1/chats',{method:'POST',headers:{'content-type':'application/json','x-csrf-token':csrf},body:JSON.stringify({department:$('chat-department').value,text:text})})
      .then(function(r){return r.json().then(function(d){return {ok:r.ok,d:d};});})
      .then(function(x){if(!x.ok){status((x.d.error&&x.d.error.message)||'The chat could not start.');return;}
        localStorage.setItem(KEY,x.d.chat.id);connect(x.d.chat.id);});};
  $('chat-helped').onclick=function(){send({this_helped:true});};
  $('chat-person').onclick=function(){send({talk_to_person:true});};
  $('chat-ticket').onclick=function(){toTicket=true;send({end:true});setTimeout(function(){if(ticket)location.href='/tickets/'+ticket;},2000);};
  $('chat-end').onclick=function(){send({end:true});};
  $('chat-form').onsubmit=function(e){e.preventDefault();var i=$('chat-input');var t=i.value.trim();if(!t)return;send({say:t});i.value='';};
  var saved=localStorage.getItem(KEY);if(saved){open(true);connect(saved);}
})();
"#;

/// The chat panel of the agent console: presence, the queue with waiting times, and the
/// agent's chats with their conversations.
pub fn console_panel(user: &PageUser) -> Markup {
    if !matches!(user.actor(), Actor::Agent(_)) {
        return html! {};
    }
    html! {
        style { (PreEscaped(CHAT_CSS)) }
        section #chat-panel data-csrf=(user.csrf) {
            h2 { "Live chat" }
            p {
                label.inline-label { "Presence "
                    select #presence {
                        option value="online" { "Online" }
                        option value="away" { "Away" }
                        option value="offline" { "Offline" }
                    }
                }
                " " label.inline-label { "Chats at once " input #seats type="number" min="1" max="50" value="3" style="width:4em"; }
                " " span.meta #presence-state {}
            }
            h3 { "Waiting" }
            table #chat-queue { tr { th { "Customer" } th { "Question" } th { "Waiting" } } }
            h3 { "My chats" }
            div #my-chats { p.meta #no-chats { "No chats now." } }
        }
        script { (PreEscaped(COMMON_JS)) (PreEscaped(CONSOLE_JS)) }
    }
}

const CONSOLE_JS: &str = r#"
(function(){
  var root=document.getElementById('chat-panel');if(!root)return;
  var $=function(id){return document.getElementById(id);}, csrf=root.dataset.csrf, open={};
  function api(method,url,body){return fetch(url,{method:method,headers:{'content-type':'application/json','x-csrf-token':csrf},body:body?JSON.stringify(body):undefined})
    .then(function(r){return r.json();});}
  function showPresence(a){if(!a||!a.presence)return;$('presence').value=a.presence;if(a.max_chats)$('seats').value=a.max_chats;
    $('presence-state').textContent=a.presence+' · '+(a.active_chats||0)+' of '+(a.max_chats||$('seats').value)+' seats taken';}
  function setPresence(){api('POST','/api/v1/agents/me/presence',{presence:$('presence').value,max_chats:parseInt($('seats').value,10)||1}).then(function(a){showPresence(a);poll();});}
  $('presence').onchange=setPresence;$('seats').onchange=setPresence;
  function mmss(s){s=Math.max(0,s|0);return Math.floor(s/60)+':'+('0'+s%60).slice(-2);}
  function cell(tr,text){var td=document.createElement('td');td.textContent=text;tr.appendChild(td);}
  function conversation(c){
    var box=document.createElement('div');box.className='chat-conv';box.dataset.chat=c.id;
    var head=document.createElement('div');var who=document.createElement('strong');who.textContent=c.customer_name;head.appendChild(who);
    head.appendChild(document.createTextNode(' · '));var link=document.createElement('a');link.href='/tickets/'+c.ticket_id;link.className='chat-ticket';
    link.textContent='Ticket #'+(c.ticket_number||'')+' '+(c.subject||'');link.title='Open the ticket to keep working on it or to close it';head.appendChild(link);box.appendChild(head);
    var log=document.createElement('div');log.className='chat-log';box.appendChild(log);
    var st=document.createElement('div');st.className='chat-status';box.appendChild(st);
    var form=document.createElement('form');form.className='chat-form';var input=document.createElement('input');input.type='text';input.name='say';input.autocomplete='off';input.placeholder='Answer';
    var b=document.createElement('button');b.type='submit';b.textContent='Send';form.appendChild(input);form.appendChild(b);box.appendChild(form);
    var end=document.createElement('button');end.type='button';end.className='chat-end';end.textContent='End chat';box.appendChild(end);
    var seen={}, ended=false, ws=null;
    function connect(){ws=hdSocket(c.id);var sock=ws;
      sock.onmessage=function(e){var f=JSON.parse(e.data);
        if(f.message&&!seen[f.message.id]){seen[f.message.id]=1;hdMessage(log,f.message);}
        if(f.place&&f.place.state==='with_agent')st.textContent='Talking with '+c.customer_name+'.';
        if(f.ended){ended=true;st.textContent=hdEnded(f.ended.end)+' The ticket stays: open it to keep working on it or close it.';form.hidden=true;end.hidden=true;}
        if(f.error)st.textContent=f.error.message;};
      sock.onclose=function(){if(!ended)setTimeout(connect,1500);};}
    form.onsubmit=function(e){e.preventDefault();var t=input.value.trim();if(!t||!ws||ws.readyState!==1)return;ws.send(JSON.stringify({say:t}));input.value='';};
    end.onclick=function(){if(ws&&ws.readyState===1)ws.send(JSON.stringify({end:true}));};
    connect();return box;}
  function poll(){
    api('GET','/api/v1/chats/queue').then(function(d){var t=$('chat-queue');while(t.rows.length>1)t.deleteRow(1);
      (d.items||[]).forEach(function(c){var tr=document.createElement('tr');cell(tr,c.customer_name);cell(tr,c.subject||'');cell(tr,mmss(c.waiting_seconds));t.appendChild(tr);});}).catch(function(){});
    api('GET','/api/v1/agents/me/chats').then(function(d){(d.items||[]).forEach(function(c){if(open[c.id])return;open[c.id]=1;
      $('no-chats').hidden=true;$('my-chats').appendChild(conversation(c));});}).catch(function(){});
    api('GET','/api/v1/agents/me/presence').then(showPresence).catch(function(){});
  }
  poll();setInterval(poll,2000);
})();
"#;
