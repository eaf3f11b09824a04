(function(){
  var box=document.getElementById('suggestions'), timer=null;
  function update(){
    var text=document.getElementById('subject').value+' '+document.getElementById('body').value;
    fetch('/api/v1/kb/suggest?text='+encodeURIComponent(text)).then(function(r){return r.json()}).then(function(d){
      box.textContent='';
      (d.items||[]).forEach(function(a){var e=document.createElement('div');e.className='notice';
        var h=document.createElement('strong');h.textContent=a.title;e.appendChild(h);
        var p=document.createElement('div');p.textContent=a.body;e.appendChild(p);box.appendChild(e);});
    }).catch(function(){});
  }
  ['subject','body'].forEach(function(id){document.getElementById(id).addEventListener('input',function(){clearTimeout(timer);timer=setTimeout(update,300);});});
})();
