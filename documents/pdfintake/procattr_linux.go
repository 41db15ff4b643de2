package pdfintake

import (
	"os/exec"
	"syscall"
)

// setProcessGroup puts the child in its own process group, killed as a
// whole when the budget ends, and has the kernel kill it if this process
// dies first.
func setProcessGroup(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
}
