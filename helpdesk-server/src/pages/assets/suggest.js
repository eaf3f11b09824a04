(function(){
  var box=document.getElementById('suggestions'), timer=null;
  // Each language's name in itself.
  var NAMES={en:'English',ro:'Română',ru:'Русский',fa:'فارسی'};
  function update(){
    var text=document.getElementById('subject').value+' '+document.getElementById('body').value;
    // The reader's language first, the others after, each marked with its own name.
    var reader=document.documentElement.lang;
    fetch('/api/v1/kb/suggest?prefer='+encodeURIComponent(reader)+'&text='+encodeURIComponent(text)).then(function(r){return r.json()}).then(function(d){
      box.textContent='';
      (d.items||[]).forEach(function(a){var e=document.createElement('div');e.className='notice';e.lang=a.language;e.dir='auto';
        var h=document.createElement('a');h.href='/portal/kb/'+a.id;var s=document.createElement('strong');s.textContent=a.title;h.appendChild(s);e.appendChild(h);
        if(a.language!==reader&&NAMES[a.language]){var m=document.createElement('span');m.className='kb-other-language';m.textContent=' ('+NAMES[a.language]+')';e.appendChild(m);}
        var p=document.createElement('div');p.textContent=a.body;e.appendChild(p);box.appendChild(e);});
    }).catch(function(){});
  }
  ['subject','body'].forEach(function(id){document.getElementById(id).addEventListener('input',function(){clearTimeout(timer);timer=setTimeout(update,300);});});
})();
