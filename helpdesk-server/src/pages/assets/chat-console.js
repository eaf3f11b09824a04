(function(){
  var root=document.getElementById('chat-panel');if(!root)return;
  var $=function(id){return document.getElementById(id);}, csrf=root.dataset.csrf, open={}, W=hdWords(root);
  function api(method,url,body){return fetch(url,{method:method,headers:{'content-type':'application/json','x-csrf-token':csrf},body:body?JSON.stringify(body):undefined})
    .then(function(r){return r.json();});}
  function showPresence(a){if(!a||!a.presence)return;$('presence').value=a.presence;if(a.max_chats)$('seats').value=a.max_chats;
    var shown=$('presence').selectedOptions[0];
    $('presence-state').textContent=(shown?shown.textContent:a.presence)+' · '+hdSay(W.seats_taken,{active:a.active_chats||0,max:a.max_chats||parseInt($('seats').value,10)||0});}
  function setPresence(){api('POST','/api/v1/agents/me/presence',{presence:$('presence').value,max_chats:parseInt($('seats').value,10)||1}).then(function(a){showPresence(a);poll();});}
  $('presence').onchange=setPresence;$('seats').onchange=setPresence;
  function mmss(s){s=Math.max(0,s|0);return Math.floor(s/60)+':'+('0'+s%60).slice(-2);}
  function cell(tr,text){var td=document.createElement('td');td.textContent=text;tr.appendChild(td);}
  function conversation(c){
    var box=document.createElement('div');box.className='chat-conv';box.dataset.chat=c.id;
    var head=document.createElement('div');var who=document.createElement('strong');who.textContent=c.customer_name;head.appendChild(who);
    head.appendChild(document.createTextNode(' · '));var link=document.createElement('a');link.href='/tickets/'+c.ticket_id;link.className='chat-ticket';
    link.textContent=hdSay(W.ticket,{number:String(c.ticket_number||'')})+' '+(c.subject||'');link.title=W.ticket_title;link.dir='auto';head.appendChild(link);box.appendChild(head);
    var log=document.createElement('div');log.className='chat-log';box.appendChild(log);
    var st=document.createElement('div');st.className='chat-status';box.appendChild(st);
    var form=document.createElement('form');form.className='chat-form';var input=document.createElement('input');input.type='text';input.name='say';input.autocomplete='off';input.placeholder=W.answer;input.dir='auto';input.setAttribute('aria-label',W.answer);
    var b=document.createElement('button');b.type='submit';b.textContent=W.send;form.appendChild(input);form.appendChild(b);box.appendChild(form);
    var end=document.createElement('button');end.type='button';end.className='chat-end';end.textContent=W.end;box.appendChild(end);
    var seen={}, ended=false, ws=null;
    function connect(){ws=hdSocket(c.id);var sock=ws;
      sock.onmessage=function(e){var f=JSON.parse(e.data);
        if(f.message&&!seen[f.message.id]){seen[f.message.id]=1;hdMessage(log,f.message);}
        if(f.place&&f.place.state==='with_agent')st.textContent=hdSay(W.talking_with,{customer:c.customer_name});
        if(f.ended){ended=true;st.textContent=hdEnded(W,f.ended.end)+' '+W.ticket_stays;form.hidden=true;end.hidden=true;}
        if(f.error)st.textContent=f.error.said||f.error.message;};
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
  // The console open is a heartbeat: an agent not heard from for the desk's presence timeout counts as offline.
  var beatEvery=20;function beat(){api('POST','/api/v1/agents/me/presence/heartbeat').then(function(a){if(a&&a.heartbeat_seconds)beatEvery=a.heartbeat_seconds;})
    .catch(function(){}).then(function(){setTimeout(beat,beatEvery*1000);});}
  beat();
})();
