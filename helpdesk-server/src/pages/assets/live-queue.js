// The console's live queue and notification badge: the change feed as server-sent events.
(function(){
  var root=document.getElementById('queue-live');if(!root||!window.EventSource)return;
  var W=hdWords(root), text=document.getElementById('queue-live-text'), link=document.getElementById('notifications-link');
  var changed={}, count=0, badge=null;
  // The unread count is read again whenever a notification is made for the reader.
  function unread(){
    fetch('/api/v1/notifications?limit=200',{credentials:'same-origin'}).then(function(r){return r.json();}).then(function(d){
      var n=(d.items||[]).filter(function(x){return !(x.state&&x.state.read_at);}).length;
      if(!link)return;
      if(!badge){badge=document.createElement('span');badge.className='badge';badge.id='notification-badge';badge.title=W.unread;
        link.appendChild(document.createTextNode(' '));link.appendChild(badge);}
      badge.textContent=n.toLocaleString(document.documentElement.lang||undefined);badge.hidden=n===0;}).catch(function(){});}
  // A ticket created or changed after the page was read: its row marked, the count shown.
  function mark(ticket){
    var row=document.querySelector('#queue tr[data-ticket="'+ticket+'"]');if(row)row.classList.add('changed');
    if(changed[ticket])return;changed[ticket]=1;count++;
    text.textContent=hdSay(W.changed,{count:count});root.hidden=false;}
  var feed=new EventSource('/api/v1/changes/stream');
  feed.onmessage=function(e){var entry;try{entry=JSON.parse(e.data);}catch(x){return;}
    var c=entry.change||{};
    if(c.kind==='notification_created')unread();
    else if(c.ticket&&(c.kind==='ticket_created'||c.kind==='ticket_changed'||c.kind==='message_added'))mark(c.ticket);};
  unread();
})();
