#!/usr/bin/python3
"""Brian2 C++ standalone COBA with OpenMP threads: runs ../shared/peers/brian2_coba.py unchanged
except for `prefs.devices.cpp_standalone.openmp_threads` (0 there: one thread) and its work
directory, so Cajal's threaded wasm backend can be put next to a threaded Brian2.

Usage: brian2_coba_openmp.py --threads 2 [the peer's options: --n 16000 --duration 1 --seed 4242]
Last stdout line: the peer's JSON, plus "openmp_threads".
"""
import os
import sys

here = os.path.dirname(os.path.abspath(__file__))
peer = os.path.normpath(os.path.join(here, '..', '..', '..', '..', 'shared', 'peers', 'brian2_coba.py'))
argv = sys.argv[1:]
threads = 2
if '--threads' in argv:
    k = argv.index('--threads')
    threads = int(argv[k + 1])
    del argv[k:k + 2]
with open(peer, encoding='utf8') as f:
    source = f.read()
single = 'prefs.devices.cpp_standalone.openmp_threads = 0'
if single not in source:
    sys.exit(f'{peer} no longer sets openmp_threads = 0; update this wrapper')
source = source.replace(single, f'prefs.devices.cpp_standalone.openmp_threads = {threads}')
source = source.replace("f'{args.model}_{args.target}'", f"f'{{args.model}}_{{args.target}}_omp{threads}'")
source = source.replace('print(json.dumps(out))', f"out['openmp_threads'] = {threads}\nprint(json.dumps(out))")
sys.argv = [peer, '--target', 'cpp_standalone', *argv]
exec(compile(source, peer, 'exec'), {'__name__': '__main__', '__file__': peer})
