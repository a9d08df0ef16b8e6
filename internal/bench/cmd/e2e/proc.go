package main

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
)

// cpuBusyTicks is the busy time of CPUs 0 and 1 in clock ticks, from
// /proc/stat: user, nice, system, irq, softirq and steal. Without
// CONFIG_IRQ_TIME_ACCOUNTING the kernel also charges softirq time (the
// loopback packets) to the process it interrupted, so the busy time not
// charged to the server or wrk is other programs' (or the kernel's idle
// time softirqs).
func cpuBusyTicks() (uint64, error) {
	b, err := os.ReadFile("/proc/stat")
	if err != nil {
		return 0, err
	}
	return parseBusy(b)
}

// parseBusy sums the busy fields of the cpu0 and cpu1 lines of a
// /proc/stat text.
func parseBusy(b []byte) (uint64, error) {
	var total uint64
	found := 0
	for _, line := range strings.Split(string(b), "\n") {
		f := strings.Fields(line)
		if len(f) < 9 || (f[0] != "cpu0" && f[0] != "cpu1") {
			continue
		}
		found++
		for _, i := range []int{1, 2, 3, 6, 7, 8} {
			v, err := strconv.ParseUint(f[i], 10, 64)
			if err != nil {
				return 0, fmt.Errorf("/proc/stat %s: %w", f[0], err)
			}
			total += v
		}
	}
	if found != 2 {
		return 0, errors.New("/proc/stat: no cpu0 and cpu1 lines")
	}
	return total, nil
}

// procStat is what this program reads from /proc/PID/stat.
type procStat struct {
	ppid  int
	ticks uint64 // utime + stime, all threads
	start uint64 // start time after boot, which tells a reused PID apart
}

// parseStat reads the parent PID, utime+stime and the start time from the
// text of /proc/PID/stat. The command name (field 2) may hold spaces and
// parentheses, so the fields are counted from the last ')'.
func parseStat(b []byte) (procStat, error) {
	i := bytes.LastIndexByte(b, ')')
	if i < 0 {
		return procStat{}, errors.New("malformed stat")
	}
	f := strings.Fields(string(b[i+1:]))
	// f[0] is field 3 (state); ppid is field 4, utime 14, stime 15,
	// starttime 22.
	if len(f) < 20 {
		return procStat{}, errors.New("short stat")
	}
	ppid, err1 := strconv.Atoi(f[1])
	ut, err2 := strconv.ParseUint(f[11], 10, 64)
	st, err3 := strconv.ParseUint(f[12], 10, 64)
	start, err4 := strconv.ParseUint(f[19], 10, 64)
	if err := errors.Join(err1, err2, err3, err4); err != nil {
		return procStat{}, err
	}
	return procStat{ppid: ppid, ticks: ut + st, start: start}, nil
}

// readStat reads and parses /proc/PID/stat.
func readStat(pid int) (procStat, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return procStat{}, err
	}
	return parseStat(b)
}

// descendants reads every process's stat and returns those of the
// descendants of pid (gunicorn's worker, for example), by PID.
func descendants(pid int) map[int]procStat {
	entries, err := os.ReadDir("/proc")
	if err != nil {
		return nil
	}
	all := map[int]procStat{}
	for _, e := range entries {
		p, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		if st, err := readStat(p); err == nil { // else it exited meanwhile
			all[p] = st
		}
	}
	out := map[int]procStat{}
	for p, st := range all {
		for a, hops := st.ppid, 0; a > 1 && hops < 64; a, hops = all[a].ppid, hops+1 {
			if a == pid {
				out[p] = st
				break
			}
			if _, ok := all[a]; !ok {
				break
			}
		}
	}
	return out
}

// treeCPUTicks is the utime+stime, in clock ticks, of process pid (all its
// threads) and of all its living descendants.
func treeCPUTicks(pid int) (uint64, error) {
	root, err := readStat(pid)
	if err != nil {
		return 0, fmt.Errorf("server process %d: %w", pid, err)
	}
	total := root.ticks
	for _, st := range descendants(pid) {
		total += st.ticks
	}
	return total, nil
}

// clockTicks is the kernel's USER_HZ, the unit of utime and stime: what
// getconf CLK_TCK says, else 100 (its value on every common Linux).
var clockTicks = sync.OnceValue(func() float64 {
	out, err := exec.Command("getconf", "CLK_TCK").Output()
	if err == nil {
		if v, err := strconv.ParseFloat(strings.TrimSpace(string(out)), 64); err == nil && v > 0 {
			return v
		}
	}
	return 100
})

// loadAvg is the 1-minute load average, or "unknown".
func loadAvg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil || len(bytes.Fields(b)) == 0 {
		return "unknown"
	}
	return string(bytes.Fields(b)[0])
}

// pinSelf moves every thread of this process to the CPUs listed (taskset
// syntax, "1" or "0-1"), so that it does not run on the servers' CPU.
// Children started later inherit the mask.
func pinSelf(cpus string) error {
	out, err := exec.Command("taskset", "-a", "-p", "-c", cpus, strconv.Itoa(os.Getpid())).CombinedOutput()
	if err != nil {
		return fmt.Errorf("taskset -a -p -c %s: %w: %s", cpus, err, bytes.TrimSpace(out))
	}
	return nil
}

// selfCPUs is this process's CPU list as taskset prints it ("0,1"), to
// restore after pinSelf.
func selfCPUs() (string, error) {
	out, err := exec.Command("taskset", "-c", "-p", strconv.Itoa(os.Getpid())).Output()
	if err != nil {
		return "", fmt.Errorf("taskset -c -p: %w", err)
	}
	return parseAffinity(string(out))
}

// parseAffinity reads the list from taskset -c -p's answer:
// "pid 42's current affinity list: 0,1".
func parseAffinity(s string) (string, error) {
	_, list, ok := strings.Cut(strings.TrimSpace(s), "list: ")
	if !ok || list == "" {
		return "", fmt.Errorf("taskset -c -p said %q", s)
	}
	return list, nil
}
