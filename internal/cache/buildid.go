package cache

import (
	"bytes"
	"crypto/sha256"
	"debug/elf"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/kforge/kforge/internal/fsutil"
)

// BuildID identifies the executable at exe (os.Executable() in the CLI) for
// Inputs.KforgeVersion: "go:<Go build ID>" when the file carries one (any change to the
// program or its dependencies changes it), else "sha256:<hash of the file>". Reading the
// build ID is much cheaper than hashing the whole binary.
func BuildID(exe string) (string, error) {
	f, err := os.Open(exe)
	if err != nil {
		return "", fmt.Errorf("identify kforge build: %w", fsutil.WithoutPath(err))
	}
	defer func() { _ = f.Close() }() // opened for reading: Close has nothing to report
	if id := elfBuildID(f); id != "" {
		return "go:" + id, nil
	}
	if id, err := headerBuildID(f); err != nil {
		return "", fmt.Errorf("identify kforge build: %w", fsutil.WithoutPath(err))
	} else if id != "" {
		return "go:" + id, nil
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return "", fmt.Errorf("identify kforge build: %w", fsutil.WithoutPath(err))
	}
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", fmt.Errorf("identify kforge build: %w", fsutil.WithoutPath(err))
	}
	return "sha256:" + fmt.Sprintf("%x", h.Sum(nil)), nil
}

// elfBuildID reads the Go build ID note of an ELF executable ("" when there is none).
func elfBuildID(r io.ReaderAt) string {
	ef, err := elf.NewFile(r)
	if err != nil {
		return ""
	}
	sec := ef.Section(".note.go.buildid")
	if sec == nil {
		return ""
	}
	data, err := sec.Data()
	if err != nil || len(data) < 16 {
		return ""
	}
	order := ef.ByteOrder
	nameSize := order.Uint32(data[0:4])
	descSize := order.Uint32(data[4:8])
	noteType := order.Uint32(data[8:12])
	const goBuildIDNote = 4
	nameEnd := 12 + uint64(nameSize)
	descStart := 12 + (uint64(nameSize)+3)&^3
	descEnd := descStart + uint64(descSize)
	if noteType != goBuildIDNote || descEnd > uint64(len(data)) || !bytes.Equal(data[12:nameEnd], []byte("Go\x00\x00")) {
		return ""
	}
	return string(data[descStart:descEnd])
}

// headerBuildID finds the build ID that the Go linker writes near the start of every
// executable as `\xff Go build ID: "<id>"\n \xff` (Mach-O, PE and ELF without the note).
func headerBuildID(f *os.File) (string, error) {
	buf := make([]byte, 64<<10)
	n, err := f.ReadAt(buf, 0)
	if err != nil && !errors.Is(err, io.EOF) {
		return "", err
	}
	buf = buf[:n]
	marker := []byte("\xff Go build ID: \"")
	i := bytes.Index(buf, marker)
	if i < 0 {
		return "", nil
	}
	rest := buf[i+len(marker):]
	j := bytes.IndexByte(rest, '"')
	if j < 0 {
		return "", nil
	}
	return string(rest[:j]), nil
}
