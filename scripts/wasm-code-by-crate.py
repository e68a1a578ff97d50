#!/usr/bin/env python3
"""Function-body bytes of a .wasm grouped by crate, from its name section (use the module before
wasm-opt, e.g. target/wasm32-unknown-unknown/release/gentutor-pages.wasm). See BENCHMARKS.md."""
import sys, re, collections
data=open(sys.argv[1],'rb').read()
def leb(b,i):
    r=0;s=0
    while True:
        x=b[i];i+=1;r|=(x&0x7f)<<s;s+=7
        if x<0x80: return r,i
i=8; nimports=0; bodies=[]; names={}
while i<len(data):
    sid=data[i];i+=1
    size,i=leb(data,i); end=i+size
    if sid==2:
        n,j=leb(data,i)
        for _ in range(n):
            l,j=leb(data,j);j+=l
            l,j=leb(data,j);j+=l
            kind=data[j];j+=1
            if kind==0: _,j=leb(data,j); nimports+=1
            elif kind==1: j+=1; f,j=leb(data,j); _,j=leb(data,j); 
            elif kind==2:
                f,j=leb(data,j); _,j=leb(data,j)
                if f&1: _,j=leb(data,j)
            elif kind==3: j+=2
    elif sid==10:
        n,j=leb(data,i)
        for _ in range(n):
            l,j=leb(data,j); bodies.append(l); j+=l
    elif sid==0:
        l,j=leb(data,i); nm=data[j:j+l].decode(); j+=l
        if nm=='name':
            while j<end:
                sub=data[j];j+=1; sl,j=leb(data,j); se=j+sl
                if sub==1:
                    n,k=leb(data,j)
                    for _ in range(n):
                        idx,k=leb(data,k); l2,k=leb(data,k); names[idx]=data[k:k+l2].decode('utf8','replace'); k+=l2
                j=se
    i=end
groups=collections.Counter()
for fi,l in enumerate(bodies):
    nm=names.get(fi+nimports,'?')
    m=re.match(r'_ZN(\d+)',nm)
    if m:
        k=int(m.group(1)); p=nm[len(m.group(0)):len(m.group(0))+k]
    elif nm.startswith('_ZN') or nm.startswith('_R'): p='mangled'
    else: p=nm.split('::')[0][:30]
    # generic impls: <T as Trait> -> look inside
    groups[p]+=l
tot=sum(bodies)
print('total code',tot)
for p,l in groups.most_common(25): print(f'{l:>9} {100*l/tot:5.1f}% {p}')
