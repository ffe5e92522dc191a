// Command chartserver serves the vendoring fixtures (internal/testcharts) to the real tk for
// hack/tkcompat/regen-charts.sh: it pushes the OCI charts to a running registry, serves the HTTP
// chart repository on 127.0.0.1 and writes a chartfile.yaml naming both; it runs until its
// standard input closes. `chartserver freeport` prints a free loopback port, `chartserver
// strip-oci IN OUT` copies the repositories file tk hands helm without its oci:// entries (see
// regen-charts.sh) and `chartserver layout DIR` prints a vendored directory's layout in the
// form the Go test compares.
package main

import (
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/kforge/kforge/internal/testcharts"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "chartserver:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	if len(args) == 1 && args[0] == "freeport" {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return err
		}
		defer func() { _ = ln.Close() }()
		_, err = fmt.Println(ln.Addr().(*net.TCPAddr).Port)
		return err
	}
	if len(args) == 3 && args[0] == "strip-oci" {
		return stripOCI(args[1], args[2])
	}
	if len(args) == 2 && args[0] == "layout" {
		out, err := testcharts.Layout(args[1])
		if err != nil {
			return err
		}
		_, err = io.WriteString(os.Stdout, out)
		return err
	}
	fs := flag.NewFlagSet("chartserver", flag.ContinueOnError)
	registry := fs.String("registry", "", "host:port of a TLS registry to push the OCI charts to")
	caFile := fs.String("ca", "", "PEM CA the registry's certificate is signed by")
	dir := fs.String("dir", "", "directory to write chartfile.yaml into")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *registry == "" || *caFile == "" || *dir == "" {
		return errors.New("-registry, -ca and -dir are required")
	}
	pem, err := os.ReadFile(*caFile)
	if err != nil {
		return err
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pem) {
		return fmt.Errorf("%s: no certificate", *caFile)
	}
	httpCharts, ociCharts := testcharts.Fixtures()
	if err := testcharts.Push(*registry, "charts", ociCharts, &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}); err != nil {
		return err
	}
	repo, err := testcharts.NewRepo(httpCharts)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: repo, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	chartfile := fmt.Sprintf("version: 1\nrepositories:\n- name: test\n  url: http://%s\n- name: oci\n  url: oci://%s/charts\nrequires:\n%s",
		ln.Addr(), *registry, testcharts.FixtureRequires)
	if err := os.WriteFile(filepath.Join(*dir, "chartfile.yaml"), []byte(chartfile), 0o644); err != nil {
		return err
	}
	fmt.Println("ready")
	_, _ = io.Copy(io.Discard, os.Stdin)
	return nil
}

// stripOCI copies the repositories file in (JSON, as tk writes it for helm) to out without its
// oci:// repositories.
func stripOCI(in, out string) error {
	data, err := os.ReadFile(in)
	if err != nil {
		return err
	}
	var file struct {
		Repositories []map[string]any `json:"repositories"`
	}
	if err := json.Unmarshal(data, &file); err != nil {
		return fmt.Errorf("%s: %w", in, err)
	}
	kept := file.Repositories[:0]
	for _, r := range file.Repositories {
		if u, _ := r["url"].(string); !strings.HasPrefix(u, "oci://") {
			kept = append(kept, r)
		}
	}
	file.Repositories = kept
	data, err = json.Marshal(file)
	if err != nil {
		return err
	}
	return os.WriteFile(out, data, 0o600)
}
