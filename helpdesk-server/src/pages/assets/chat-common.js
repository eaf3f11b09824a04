function hdSocket(chat){return new WebSocket((location.protocol==='https:'?'wss://':'ws://')+location.host+'/chat/ws?chat='+encodeURIComponent(chat));}
function hdMessage(log,m){var d=document.createElement('div');d.className='chat-msg from-'+m.from;d.dataset.id=m.id;
  var who=document.createElement('span');who.className='meta';who.textContent=m.author_name+' · '+new Date(m.created_at).toLocaleTimeString(document.documentElement.lang||undefined);
  d.dir='auto';
  var body=document.createElement('span');body.className='chat-text';body.textContent=m.body;d.appendChild(who);d.appendChild(body);log.appendChild(d);
  if(log.parentNode)log.parentNode.scrollTop=log.parentNode.scrollHeight;log.scrollTop=log.scrollHeight;}
function hdWords(root){try{return JSON.parse(root.dataset.words||'{}');}catch(e){return {};}}
function hdSay(word,values){return String(word||'').replace(/\{(\w+)\}/g,function(m,k){var v=values[k];if(v===undefined)return m;
  return '\u2068'+(typeof v==='number'?v.toLocaleString(document.documentElement.lang||undefined):String(v))+'\u2069';});}
function hdEnded(W,end){return {answered:W.answered,by_customer:W.by_customer,by_agent:W.over,no_agent:W.no_agent}[end]||W.over;}
