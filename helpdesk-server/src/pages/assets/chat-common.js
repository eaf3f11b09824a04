function hdSocket(chat){return new WebSocket((location.protocol==='https:'?'wss://':'ws://')+location.host+'/chat/ws?chat='+encodeURIComponent(chat));}
function hdMessage(log,m){var d=document.createElement('div');d.className='chat-msg from-'+m.from;d.dataset.id=m.id;
  var who=document.createElement('span');who.className='meta';who.textContent=m.author_name+' · '+new Date(m.created_at).toLocaleTimeString();
  var body=document.createElement('span');body.className='chat-text';body.textContent=m.body;d.appendChild(who);d.appendChild(body);log.appendChild(d);
  if(log.parentNode)log.parentNode.scrollTop=log.parentNode.scrollHeight;log.scrollTop=log.scrollHeight;}
function hdEnded(end){return {answered:'The assistant answered it: the chat is closed.',by_customer:'You left the chat.',by_agent:'The chat is over.',no_agent:'Nobody was free in time: your question waits as a ticket and an agent will answer it there.'}[end]||'The chat is over.';}
