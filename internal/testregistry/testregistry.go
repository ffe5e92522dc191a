// Package testregistry starts a real OCI registry (Distribution v2.8, Debian's docker-registry
// package) on 127.0.0.1 for tests that push and pull charts or cache entries. Only _test.go files
// import it. On a machine without the binary the tests that need it skip with a message saying
// how to install it; .ci/run installs it, so CI never skips them.
package testregistry

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync"
	"syscall"
	"testing"
	"time"
)

// binaryEnv names the environment variable that overrides where the registry binary is found.
const binaryEnv = "KFORGE_TEST_REGISTRY"

// defaultBinary is where Debian's docker-registry package installs the registry.
const defaultBinary = "docker-registry"

// Registry is one running registry process with its own empty storage directory.
type Registry struct {
	// Host is "127.0.0.1:PORT", the reference prefix of its repositories (oci://Host/repo).
	Host string

	t       testing.TB
	binary  string
	config  string
	logPath string
	storage string

	mu  sync.Mutex
	cmd *exec.Cmd
}

// Start starts a registry on a free loopback port and stops it when the test ends. It skips the
// test, visibly, when the registry binary is not installed.
func Start(t testing.TB) *Registry {
	t.Helper()
	binary := os.Getenv(binaryEnv)
	if binary == "" {
		binary = defaultBinary
	}
	path, err := exec.LookPath(binary)
	if err != nil {
		t.Skipf("SKIP: no OCI registry for this test: %q not found (install Debian's docker-registry package, "+
			"`apt-get install docker-registry`, or set %s to a Distribution v2 registry binary)", binary, binaryEnv)
	}
	dir := t.TempDir()
	port, err := freePort()
	if err != nil {
		t.Fatalf("testregistry: finding a free port: %v", err)
	}
	r := &Registry{
		Host:    net.JoinHostPort("127.0.0.1", strconv.Itoa(port)),
		t:       t,
		binary:  path,
		config:  filepath.Join(dir, "config.yml"),
		logPath: filepath.Join(dir, "registry.log"),
		storage: filepath.Join(dir, "storage"),
	}
	config := fmt.Sprintf(`version: 0.1
log:
  level: warn
storage:
  filesystem:
    rootdirectory: %s
  delete:
    enabled: true
http:
  addr: %s
`, r.storage, r.Host)
	if err := os.WriteFile(r.config, []byte(config), 0o644); err != nil {
		t.Fatalf("testregistry: writing config: %v", err)
	}
	if err := r.start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(r.Stop)
	return r
}

// start runs the registry process and waits until it answers /v2/.
func (r *Registry) start() error {
	logFile, err := os.OpenFile(r.logPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return fmt.Errorf("testregistry: opening log: %w", err)
	}
	cmd := exec.Command(r.binary, "serve", r.config)
	cmd.Stdout = logFile
	cmd.Stderr = logFile
	if err := cmd.Start(); err != nil {
		_ = logFile.Close()
		return fmt.Errorf("testregistry: starting %s: %w", r.binary, err)
	}
	exited := make(chan struct{})
	go func() {
		_ = cmd.Wait()
		_ = logFile.Close()
		close(exited)
	}()
	r.mu.Lock()
	r.cmd = cmd
	r.mu.Unlock()

	client := &http.Client{Timeout: time.Second}
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case <-exited:
			return fmt.Errorf("testregistry: %s exited at start:\n%s", r.binary, r.Log())
		default:
		}
		resp, err := client.Get(r.URL() + "/v2/")
		if err == nil {
			_ = resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	r.Stop()
	return fmt.Errorf("testregistry: %s did not answer on %s within 20s:\n%s", r.binary, r.Host, r.Log())
}

// URL is the registry's base HTTP URL, "http://127.0.0.1:PORT".
func (r *Registry) URL() string { return "http://" + r.Host }

// Stop kills the registry; requests to it fail from then on. It is safe to call more than once.
func (r *Registry) Stop() {
	r.mu.Lock()
	cmd := r.cmd
	r.cmd = nil
	r.mu.Unlock()
	if cmd == nil || cmd.Process == nil {
		return
	}
	if err := cmd.Process.Kill(); err != nil && !errors.Is(err, os.ErrProcessDone) {
		r.t.Logf("testregistry: stopping: %v", err)
	}
	// Wait for the port to close so that a test that stopped it sees refused connections.
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		conn, err := net.DialTimeout("tcp", r.Host, 100*time.Millisecond)
		if err != nil {
			return
		}
		_ = conn.Close()
		time.Sleep(20 * time.Millisecond)
	}
}

// Freeze suspends the registry process (SIGSTOP): connections are still accepted by the
// kernel but nothing answers, as with a registry that hangs. Stop still ends it.
func (r *Registry) Freeze() {
	r.mu.Lock()
	cmd := r.cmd
	r.mu.Unlock()
	if cmd == nil || cmd.Process == nil {
		return
	}
	if err := cmd.Process.Signal(syscall.SIGSTOP); err != nil {
		r.t.Errorf("testregistry: freezing: %v", err)
	}
}

// StorageDir is the registry's filesystem storage (Distribution's layout: blobs under
// docker/registry/v2/blobs/sha256/<kk>/<hex>/data), for tests that damage stored content.
func (r *Registry) StorageDir() string { return r.storage }

// Log returns what the registry process printed so far, for failure messages.
func (r *Registry) Log() string {
	data, err := os.ReadFile(r.logPath)
	if err != nil {
		return fmt.Sprintf("(no log: %v)", err)
	}
	return string(data)
}

// freePort asks the kernel for an unused loopback TCP port.
func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer func() { _ = l.Close() }()
	return l.Addr().(*net.TCPAddr).Port, nil
}
