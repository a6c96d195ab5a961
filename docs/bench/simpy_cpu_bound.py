"""CPU-bound threads under the new GIL (py3), as a plain SimPy 2 model.

The baseline gilsim's engine is measured against (docs/development.md,
sim BenchmarkAgainstSimPy): the same workload and the same GIL rules, every
waiter's timed wait an event. Each of THREADS threads runs WORK seconds of
Python. A thread that finds the GIL held waits for INTERVAL at a time; a
wait that expires with no handoff since it began sets the drop request;
the holder drops the GIL at its next check point (every CHECK seconds),
signals the first waiter, which takes it after WAKE seconds, and waits
until another thread has taken it (FORCE_SWITCHING). A waiter whose wait
expires with the GIL free takes it.

    python3 simpy_cpu_bound.py THREADS WORK INTERVAL WAKE CHECK [lazy]

prints the handoffs, the virtual time at the end, the events and the wall
time of the simulation, one "name value" pair a line. With "lazy" a
waiter's timed wait is not an event: one timer process sleeps until the
next expiry that does something (sets the drop request, or finds the GIL
free), found by looking at every waiter, and is woken to look again
whenever the GIL changes; the handoffs come out the same.
"""
import sys
import time

from SimPy.Simulation import Process, activate, hold, initialize, now, passivate, reactivate, simulate

THREADS, WORK, INTERVAL, WAKE, CHECK = int(sys.argv[1]), *map(float, sys.argv[2:6])
LAZY = sys.argv[6:7] == ["lazy"]


class GIL:
    holder = None
    switch_number = 0
    switched_at = 0.0
    drop_request = False
    handoffs = 0
    last = None
    waiters = []  # in arrival order
    switcher = None


gil = GIL()
events = 0


def take(t):
    if gil.last is not t:
        if gil.last is not None:
            gil.handoffs += 1
        gil.switch_number += 1
        gil.switched_at = now()
        gil.last = t
        if gil.switcher is not None:
            w, gil.switcher = gil.switcher, None
            reactivate(w)
    gil.holder = t
    gil.drop_request = False
    if t in gil.waiters:
        gil.waiters.remove(t)
    poke(t)


def poke(by):
    """The GIL changed: the timer looks again."""
    if timer is None:
        return
    if timer.passive():
        reactivate(timer)
    else:
        by.interrupt(timer)


def next_expiry(w):
    """When waiter w's timed wait next expires to some purpose, or None."""
    if gil.holder is None:
        k = int((now() - w.began) / INTERVAL) + 1
        return w.began + k * INTERVAL
    if gil.drop_request:
        return None
    if w.saved == gil.switch_number:
        return w.began + INTERVAL
    # The first wait armed after the last switch.
    k = max(1, int((gil.switched_at - w.began) / INTERVAL) + 1)
    while w.began + (k - 1) * INTERVAL < gil.switched_at:
        k += 1
    return w.began + k * INTERVAL


class Timer(Process):
    """Plays only the expiries that do something."""

    def execute(self):
        global events
        while True:
            best, at = None, None
            for w in gil.waiters:
                if getattr(w, "timed", False):
                    e = next_expiry(w)
                    if e is not None and (at is None or e < at):
                        best, at = w, e
            if best is None:
                yield passivate, self
                events += 1
                continue
            yield hold, self, max(0.0, at - now())
            events += 1
            if self.interrupted():
                self.interruptReset()
                continue
            if gil.holder is None:
                best.timed, best.reason = False, "timeout"
                reactivate(best)
            elif not gil.drop_request:
                gil.drop_request = True
                self.interrupt(gil.holder)


timer = None


class PyThread(Process):
    def __init__(self, i):
        Process.__init__(self, name="T%d" % i)
        self.left = WORK
        self.signalled = False

    def wait_gil(self):
        """take_gil: timed waits of INTERVAL until the GIL is free."""
        global events
        gil.waiters.append(self)
        while gil.holder is not None:
            saved = gil.switch_number
            self.signalled = False
            yield hold, self, INTERVAL
            events += 1
            if self.interrupted():
                # Signalled: wake up, then look at the GIL.
                self.interruptReset()
                yield hold, self, WAKE
                events += 1
                continue
            if gil.holder is not None and gil.switch_number == saved and not gil.drop_request:
                gil.drop_request = True
                self.interrupt(gil.holder)
        take(self)

    def wait_gil_lazy(self):
        """take_gil with the timed waits left to the timer."""
        global events
        gil.waiters.append(self)
        while gil.holder is not None:
            self.began, self.saved = now(), gil.switch_number
            self.signalled, self.timed, self.reason = False, True, None
            poke(self)
            yield passivate, self
            events += 1
            self.timed = False
            if self.reason == "signal":
                yield hold, self, WAKE
                events += 1
        take(self)

    def signal(self):
        if gil.waiters:
            w = gil.waiters[0]
            if not w.signalled:
                w.signalled = True
                if LAZY:
                    if w.timed:
                        w.timed, w.reason = False, "signal"
                        reactivate(w)
                        poke(self)
                else:
                    self.interrupt(w)

    def execute(self):
        global events
        while True:
            if gil.holder is not None:
                for x in (self.wait_gil_lazy() if LAZY else self.wait_gil()):
                    yield x
            else:
                take(self)
            # Run until done or a drop request, which takes effect at the
            # next check point.
            start = now()
            yield hold, self, self.left
            events += 1
            ran = now() - start
            if self.interrupted():
                self.interruptReset()
                to_check = min((CHECK - ran % CHECK) % CHECK, self.left - ran)
                yield hold, self, to_check
                events += 1
                ran += to_check
            self.left -= ran
            gil.holder = None
            poke(self)
            if self.left <= 1e-12:
                self.signal()
                return
            # drop_gil after a drop request: release, signal, wait for the switch.
            self.signal()
            gil.switcher = self
            yield passivate, self
            events += 1


def main():
    global timer
    initialize()
    if LAZY:
        timer = Timer(name="timer")
        activate(timer, timer.execute())
    threads = [PyThread(i) for i in range(THREADS)]
    for t in threads:
        activate(t, t.execute())
    t0 = time.perf_counter()
    simulate(until=1e12)
    wall = time.perf_counter() - t0
    print("handoffs", gil.handoffs)
    print("virtual_s", now())
    print("events", events)
    print("wall_s", wall)


main()
