package cache

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/kforge/kforge/internal/fsutil"
)

// memoMagic starts every memo file.
const memoMagic = "kforge-render-cache-memo/3"

// PutMemo stores data that a deterministic function computed from output, such as the
// canonical YAML of the manifests extracted from an evaluation's JSON, so a later hit can skip
// the computation. name must capture every other input of the function (what it computes,
// the kforge build, the extraction settings): GetMemo returns data only for the same output
// and name. Memo files are written atomically, checksummed (CRC-32C) and pruned like entries.
func (s *Store) PutMemo(output []byte, name string, data []byte) error {
	var b bytes.Buffer
	b.Grow(len(memoMagic) + 10 + len(data))
	b.WriteString(memoMagic)
	b.WriteByte(' ')
	b.WriteString(strconv.FormatUint(uint64(checksum(data)), 16))
	b.WriteByte('\n')
	b.Write(data)
	if err := writeAtomic(s.memoPath(output, name), b.Bytes()); err != nil {
		return fmt.Errorf("store render cache memo %s: %w", name, err)
	}
	return nil
}

// GetMemo returns what PutMemo stored for output and name. A missing or corrupt memo is a
// miss; the error reports only a cache directory that cannot be read.
func (s *Store) GetMemo(output []byte, name string) ([]byte, bool, error) {
	p := s.memoPath(output, name)
	raw, err := os.ReadFile(p)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("read render cache memo %s: %w", name, fsutil.WithoutPath(err))
	}
	header, data, ok := bytes.Cut(raw, []byte("\n"))
	if !ok {
		return nil, false, nil
	}
	magic, sum, ok := bytes.Cut(header, []byte(" "))
	if !ok || string(magic) != memoMagic || string(sum) != strconv.FormatUint(uint64(checksum(data)), 16) {
		return nil, false, nil
	}
	now := time.Now()
	_ = os.Chtimes(p, now, now)
	return data, true, nil
}

func (s *Store) memoPath(output []byte, name string) string {
	id := sha256Hex([]byte(sha256Hex(output) + "\x00" + name))
	return filepath.Join(s.dir, memoDir, id[:2], id)
}
