(function(){
  var root=document.getElementById('chat-widget');if(!root)return;
  var $=function(id){return document.getElementById(id);};
  var KEY='hd_chat_'+root.dataset.me, csrf=root.dataset.csrf, W=hdWords(root);
  var ws=null, chat=null, ticket=null, ended=false, first=true, toTicket=false, seen={};
  function open(v){$('chat-window').hidden=!v;$('chat-open').hidden=v;}
  function status(t){$('chat-status').textContent=t;}
  function departments(){var s=$('chat-department');if(s.options.length)return;
    fetch('/api/v1/departments').then(function(r){return r.json();}).then(function(d){(d.items||[]).forEach(function(x){
      if(x.active===false)return;var o=document.createElement('option');o.value=x.id;o.textContent=x.name;s.appendChild(o);});});}
  function reset(){localStorage.removeItem(KEY);if(ws){ws.onclose=null;ws.close();}ws=null;chat=null;ticket=null;ended=false;first=true;seen={};
    $('chat-log').textContent='';$('chat-suggestions').textContent='';status('');$('chat-start').hidden=false;$('chat-question').value='';
    $('chat-actions').hidden=true;$('chat-after').hidden=true;$('chat-form').hidden=true;$('chat-new').hidden=true;$('chat-end').hidden=false;$('chat-transcript-label').hidden=false;}
  function send(frame){if(ws&&ws.readyState===1)ws.send(JSON.stringify(frame));}
  function suggestions(items){var box=$('chat-suggestions');box.textContent='';
    var p=document.createElement('p');p.className='chat-note';
    if(!items.length){p.id='chat-no-article';p.textContent=W.no_article;box.appendChild(p);return;}
    p.textContent=W.from_kb;box.appendChild(p);
    // The reader's language first (the server orders them), each other one marked with its name; the title links to the article's page.
    var reader=document.documentElement.lang;
    items.forEach(function(a){var d=document.createElement('div');d.className='chat-article';d.lang=a.language;d.dir='auto';
      var link=document.createElement('a');link.href=a.href;var h=document.createElement('strong');h.textContent=a.title;link.appendChild(h);d.appendChild(link);
      if(a.language!==reader){var m=document.createElement('span');m.className='kb-other-language';m.lang=reader;m.dir='auto';m.textContent=' '+hdSay(W.other_language,{language:a.language_name});d.appendChild(m);}
      var b=document.createElement('div');b.textContent=a.body;d.appendChild(b);box.appendChild(d);});}
  function place(p){
    $('chat-actions').hidden=p.state!=='assistant';$('chat-after').hidden=false;
    $('chat-form').hidden=p.state==='ended';
    if(p.state==='assistant')status(W.assistant);
    else if(p.state==='queued')status(hdSay(W.queued,{position:p.position}));
    else if(p.state==='with_agent'){status(hdSay(W.with_agent,{agent:p.agent_name}));$('chat-suggestions').textContent='';}
    else {status(hdEnded(W,p.end));$('chat-end').hidden=true;$('chat-transcript-label').hidden=true;$('chat-new').hidden=false;}
  }
  function connect(id){
    chat=id;$('chat-start').hidden=true;ws=hdSocket(id);var sock=ws;
    sock.onmessage=function(e){var f=JSON.parse(e.data);
      if(f.chat){ticket=f.chat.ticket_id;var a=$('chat-ticket-link');a.href='/tickets/'+ticket;a.textContent=hdSay(W.ticket,{number:String(f.chat.ticket_number||'')});}
      if(f.message&&!seen[f.message.id]){seen[f.message.id]=1;hdMessage($('chat-log'),f.message);}
      if(f.suggestions)suggestions(f.suggestions);
      if(f.place){if(first&&f.place.state==='ended'&&!toTicket){reset();open(false);return;}first=false;place(f.place);}
      if(f.ended){ended=true;localStorage.removeItem(KEY);if(toTicket&&ticket)location.href='/tickets/'+ticket;}
      if(f.error)status(f.error.said||W.not_started);};
    sock.onclose=function(){if(ws===sock&&!ended)setTimeout(function(){if(ws===sock)connect(id);},1500);};
  }
  $('chat-open').onclick=function(){open(true);departments();};
  $('chat-close').onclick=function(){open(false);if(ended)reset();};
  $('chat-new').onclick=function(){reset();departments();};
  $('chat-start').onsubmit=function(e){e.preventDefault();var text=$('chat-question').value.trim();if(!text)return;
    fetch('/api/v1/chats',{method:'POST',headers:{'content-type':'application/json','x-csrf-token':csrf},body:JSON.stringify({department:$('chat-department').value,text:text})})
      .then(function(r){return r.json().then(function(d){return {ok:r.ok,d:d};});})
      .then(function(x){if(!x.ok){status(W.not_started);return;}
        localStorage.setItem(KEY,x.d.chat.id);connect(x.d.chat.id);});};
  $('chat-helped').onclick=function(){send({this_helped:true});};
  $('chat-person').onclick=function(){send({talk_to_person:true});};
  $('chat-ticket').onclick=function(){toTicket=true;send({end:true});setTimeout(function(){if(ticket)location.href='/tickets/'+ticket;},2000);};
  $('chat-end').onclick=function(){send({end:{transcript:$('chat-transcript').checked}});};
  $('chat-form').onsubmit=function(e){e.preventDefault();var i=$('chat-input');var t=i.value.trim();if(!t)return;send({say:t});i.value='';};
  var saved=localStorage.getItem(KEY);if(saved){open(true);connect(saved);}
})();
