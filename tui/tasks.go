package tui

import (
	"fmt"
	"strings"

	"github.com/gilsim/gilsim/sim"
)

// taskState is what a task's lane shows: the engine's state for the
// task (sim.TaskState, same numbers), or overdue.
type taskState uint8

const (
	taskPending  = taskState(sim.TaskPending)
	taskReady    = taskState(sim.TaskReady)
	taskRunning  = taskState(sim.TaskRunning)
	taskSleeping = taskState(sim.TaskSleeping)
	taskIO       = taskState(sim.TaskIO)
	taskAwaiting = taskState(sim.TaskAwaiting)
	taskDone     = taskState(sim.TaskFinished)
	// taskOverdue: still sleeping, though its sleep is over: the loop has
	// not got round to it. The engine has no such state; the recording
	// marks it when a sleep's time has passed.
	taskOverdue = taskState(sim.NumTaskStates)
	// taskBlocking: running a step while its loop's thread is blocked in
	// a call that does not await: every other task of the loop waits. The
	// engine calls it running.
	taskBlocking = taskOverdue + 1
	// numTaskStates counts the states a lane can show.
	numTaskStates = taskBlocking + 1
)

func (s taskState) String() string {
	switch s {
	case taskOverdue:
		return "overdue"
	case taskBlocking:
		return "blocking the loop"
	}
	return sim.TaskState(s).String()
}

// runs reports whether a task in state s is in a step.
func (s taskState) runs() bool { return s == taskRunning || s == taskBlocking }

func (s taskState) busy() bool { return s.runs() }

// suspended reports whether a task in state s waits in an await.
func (s taskState) suspended() bool {
	return s == taskSleeping || s == taskOverdue || s == taskIO || s == taskAwaiting
}

// taskPlan is what a workload says about its asyncio tasks, read once
// from its code: which thread's loop runs each, and where each waits.
type taskPlan struct {
	// loop is the thread whose event loop runs each task, or -1 when no
	// loop ever schedules it.
	loop []int32
	// awaitAt maps, per task, the line of the op after an await to the
	// await op: a suspended task's frame points past its await.
	awaitAt []map[int32]*sim.Op
	// loopLine is, per thread that runs an event loop, the line that runs
	// it (run_until_complete): where the thread is between task steps.
	loopLine map[int32]int32
}

// planTasks reads the tasks of w: a loop runs its main task and every task
// that one creates, awaits or gathers, and so on down.
func planTasks(w *sim.Workload) taskPlan {
	p := taskPlan{loop: make([]int32, len(w.Tasks)), awaitAt: make([]map[int32]*sim.Op, len(w.Tasks)),
		loopLine: map[int32]int32{}}
	for k := range p.loop {
		p.loop[k] = -1
	}
	var claim func(k, thread int32)
	claim = func(k, thread int32) {
		if k < 0 || int(k) >= len(p.loop) || p.loop[k] >= 0 {
			return
		}
		p.loop[k] = thread
		for _, op := range w.Tasks[k].Code {
			switch op.Kind {
			case sim.OpCreateTask, sim.OpAwaitTask:
				claim(op.Obj, thread)
			case sim.OpGather:
				for j := op.Obj; j < op.Obj+int32(op.N); j++ {
					claim(j, thread)
				}
			}
		}
	}
	for i := range w.Threads {
		for _, op := range w.Threads[i].Code {
			if op.Kind == sim.OpRunLoop {
				claim(op.Obj, int32(i))
				p.loopLine[int32(i)] = op.Line
			}
		}
	}
	for k := range w.Tasks {
		code := w.Tasks[k].Code
		m := map[int32]*sim.Op{}
		for j := range code {
			switch code[j].Kind {
			case sim.OpAwaitSleep, sim.OpAwaitIO, sim.OpAwaitTask, sim.OpGather:
				next := code[j].Line
				if j+1 < len(code) {
					next = code[j+1].Line
				}
				if _, ok := m[next]; !ok {
					m[next] = &code[j]
				}
			}
		}
		p.awaitAt[k] = m
	}
	return p
}

// shown reports whether task k has a lane: some loop runs it.
func (p *taskPlan) shown(k int) bool { return p.loop[k] >= 0 }

// line is where task t is: the line it runs, or the await it is suspended
// in (a ready task that has run before is about to return from one).
func (p *taskPlan) line(t *sim.TaskView, st taskState) int32 {
	if st.runs() {
		return t.Line
	}
	if op, ok := p.awaitAt[t.ID][t.Line]; ok {
		return op.Line
	}
	return t.Line
}

// sleep returns how long task k, suspended with its frame at line, sleeps,
// and false when it is not in an asyncio.sleep.
func (p *taskPlan) sleep(k int, line int32) (sim.Time, bool) {
	op, ok := p.awaitAt[k][line]
	if !ok || op.Kind != sim.OpAwaitSleep {
		return 0, false
	}
	return sim.Time(op.Dur), true
}

// taskNow is task k's state at the side's time: the snapshot's, overdue
// for a sleep that is over, or blocking for a step whose loop's thread is
// blocked in a call.
func taskNow(s *side, k int) taskState {
	st := taskState(s.snap.Tasks[k].State)
	if st == taskSleeping || st == taskRunning {
		if at, _ := stateAt(s.rec.tasks[k], s.snap.Now); at == taskOverdue || at == taskBlocking {
			return at
		}
	}
	return st
}

// currentMark returns the mark a lane is in at time at, and false before
// its first.
func currentMark[S any](marks []mark[S], at sim.Time) (mark[S], bool) {
	if _, i := stateAt(marks, at); i > 0 {
		return marks[i-1], true
	}
	return mark[S]{}, false
}

// taskCensus counts the states, at time at, of the tasks thread loop's
// event loop runs, and names the one running (-1 for none).
func taskCensus(r *recording, loop int32, at sim.Time) (count [numTaskStates]int, running int32) {
	running = -1
	for k, marks := range r.tasks {
		if r.asyncio.loop[k] != loop {
			continue
		}
		st, _ := stateAt(marks, at)
		count[st]++
		if st.runs() {
			running = int32(k)
		}
	}
	return count, running
}

// censusOrder lists task states as a census names them.
var censusOrder = []taskState{taskReady, taskOverdue, taskIO, taskSleeping, taskAwaiting, taskPending}

// censusPhrase names the tasks of a census besides the running one:
// "1 ready, 4 sleeping"; empty when there are none.
func censusPhrase(count [numTaskStates]int) string {
	var parts []string
	for _, st := range censusOrder {
		if n := count[st]; n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n, taskWords[st]))
		}
	}
	return strings.Join(parts, ", ")
}

// others is the number of tasks in a census besides the running one that
// have not finished.
func others(count [numTaskStates]int) int {
	n := 0
	for st, c := range count {
		if !taskState(st).runs() && taskState(st) != taskDone {
			n += c
		}
	}
	return n
}
