#!/usr/bin/python3
"""COBA (Brette et al. 2007 benchmark 1) with Brian2's RUNTIME targets (numpy, cython), timed
for an apples-to-apples comparison with Cajal. Same model, parameters and scaling as
../../../../shared/peers/brian2_coba.py (copied here, not imported, so the shared script stays
untouched); what differs is the timing:

- the network is run twice in one process: a warm-up run of --warmup seconds (it generates and,
  for cython, compiles every code object; Brian keeps them for the next run), then
  `net.restore()` to the initial state and the measured run of --duration seconds;
- around the measured run's simulation loop (between the end of Network.before_run and the start
  of Network.after_run, hooked on the instance) both wall clock (time.perf_counter) and CPU time
  of the process (time.process_time) are recorded. Brian's own `device._last_run_time` (wall,
  same interval) is reported too;
- code generation / compilation (before_run) is reported apart for both runs; `cache_warm` says
  whether the cython cache directory already held compiled modules before this process started.

CPU time excludes the time the process waits for a core, so it is the measure that survives a
loaded machine; wall time includes that wait.

Usage: brian2_coba_timed.py --target numpy|cython [--n 4000] [--duration 1] [--warmup 0.01]
                            [--seed 4242] [--workdir DIR] [--clean] [--float32]
Last stdout line: JSON.
"""
import os
import sys
import tempfile
import time

T0 = time.perf_counter()
sys.dont_write_bytecode = True
DATA = os.environ.get('PEERS_DATA', os.path.join(tempfile.gettempdir(), 'cajal-peers'))
os.makedirs(os.path.join(DATA, 'tmp'), exist_ok=True)
os.environ['TMPDIR'] = os.path.join(DATA, 'tmp')
os.environ.setdefault('MPLCONFIGDIR', os.path.join(DATA, 'tmp', 'mpl'))

import argparse
import json
import shutil
import warnings

warnings.filterwarnings('ignore')

p = argparse.ArgumentParser()
p.add_argument('--target', default='cython', choices=['numpy', 'cython'])
p.add_argument('--n', type=int, default=4000)
p.add_argument('--duration', type=float, default=1.0)
p.add_argument('--warmup', type=float, default=0.01, help='warm-up run, seconds of biological time')
p.add_argument('--seed', type=int, default=4242)
p.add_argument('--workdir', default=None)
p.add_argument('--clean', action='store_true', help='empty the cython cache first (cold compile)')
p.add_argument('--float32', action='store_true', help='prefs.core.default_float_dtype = float32 (Brian2 default: float64)')
args = p.parse_args()

import numpy as np
import brian2
from brian2 import (NeuronGroup, Synapses, SpikeMonitor, Network, prefs, device, defaultclock,
                    seed, ms, mV, second)

T_IMPORT = time.perf_counter()
prefs.logging.file_log = False
prefs.logging.delete_log_on_exit = True
if args.float32:
    prefs.core.default_float_dtype = np.float32
if args.workdir is None:
    args.workdir = os.path.join(DATA, 'brian2_work', f'coba_{args.target}' + ('_float32' if args.float32 else ''))
if args.clean and os.path.exists(args.workdir):
    shutil.rmtree(args.workdir)
os.makedirs(args.workdir, exist_ok=True)
cache_warm = any(True for _ in os.scandir(args.workdir))
prefs.codegen.target = args.target
if args.target == 'cython':
    prefs.codegen.runtime.cython.cache_dir = args.workdir

seed(args.seed)
defaultclock.dt = 0.1 * ms
N = args.n
Ne = int(round(0.8 * N))
p_conn = 80.0 / N
taum, taue, taui = 20 * ms, 5 * ms, 10 * ms
Vt, Vr, El, Ee, Ei = -50 * mV, -60 * mV, -60 * mV, 0 * mV, -80 * mV
we, wi = 6.0 / 10.0, 67.0 / 10.0
eqs = '''
dv/dt = (El - v + ge*(Ee - v) + gi*(Ei - v)) / taum : volt (unless refractory)
dge/dt = -ge / taue : 1
dgi/dt = -gi / taui : 1
'''
t_build0 = time.perf_counter()
P = NeuronGroup(N, eqs, threshold='v > Vt', reset='v = Vr', refractory=5 * ms, method='euler')
Ce = Synapses(P[:Ne], P, on_pre='ge += we')
Ci = Synapses(P[Ne:], P, on_pre='gi += wi')
Ce.connect(p=p_conn)
Ci.connect(p=p_conn)
P.v = 'El + (randn()*5 - 5)*mV'
P.ge = 'randn()*1.5 + 4'
P.gi = 'randn()*12 + 20'
M = SpikeMonitor(P)
net = Network(P, Ce, Ci, M)
t_build1 = time.perf_counter()
net.store('init')

marks = {}
_before, _after = net.before_run, net.after_run


def before_run(namespace):
    w0, c0 = time.perf_counter(), time.process_time()
    _before(namespace)
    marks['before_wall'] = time.perf_counter() - w0
    marks['before_cpu'] = time.process_time() - c0
    marks['loop_w0'], marks['loop_c0'] = time.perf_counter(), time.process_time()


def after_run():
    marks['loop_wall'] = time.perf_counter() - marks['loop_w0']
    marks['loop_cpu'] = time.process_time() - marks['loop_c0']
    _after()


net.before_run, net.after_run = before_run, after_run
namespace = {'El': El, 'Ee': Ee, 'Ei': Ei, 'Vt': Vt, 'Vr': Vr, 'taum': taum, 'taue': taue,
             'taui': taui, 'we': we, 'wi': wi}

w0 = time.perf_counter()
net.run(args.warmup * second, namespace=namespace)
warm = dict(marks, run_call=time.perf_counter() - w0)
net.restore('init')
marks.clear()
w0 = time.perf_counter()
net.run(args.duration * second, namespace=namespace)
run_call = time.perf_counter() - w0
last_run_time = float(device._last_run_time)

i = np.asarray(M.i[:], dtype=np.int64)
t = np.asarray(M.t[:] / second, dtype=np.float64)
order = np.lexsort((t, i))
i_s, t_s = i[order], t[order]
same = i_s[1:] == i_s[:-1]
isi = np.diff(t_s)[same]
owner = i_s[1:][same]
counts = np.bincount(owner, minlength=N)
s1 = np.bincount(owner, weights=isi, minlength=N)
s2 = np.bincount(owner, weights=isi * isi, minlength=N)
ok = counts >= 2
mean_isi = s1[ok] / counts[ok]
cv = np.sqrt(np.maximum(s2[ok] / counts[ok] - mean_isi ** 2, 0.0)) / mean_isi
print(json.dumps({
    'benchmark': 'brian2_coba_timed', 'target': args.target, 'N': N,
    'float_dtype': 'float32' if args.float32 else 'float64',
    'n_synapses': int(len(Ce) + len(Ci)), 'duration_s': args.duration, 'seed': args.seed,
    'total_spikes': int(i.size), 'mean_rate_hz': i.size / (N * args.duration),
    'mean_cv_isi': float(np.mean(cv)) if cv.size else None,
    'import_s': T_IMPORT - T0, 'build_network_s': t_build1 - t_build0,
    'cache_warm': cache_warm,
    'warmup_bio_s': args.warmup,
    'warmup_codegen_compile_wall_s': warm.get('before_wall'),
    'warmup_codegen_compile_cpu_s': warm.get('before_cpu'),
    'warmup_run_call_s': warm['run_call'],
    'codegen_wall_s': marks['before_wall'], 'codegen_cpu_s': marks['before_cpu'],
    'sim_loop_wall_s': marks['loop_wall'], 'sim_loop_cpu_s': marks['loop_cpu'],
    'sim_loop_s': last_run_time, 'run_call_s': run_call,
    'brian2': brian2.__version__, 'numpy': np.__version__,
}))
