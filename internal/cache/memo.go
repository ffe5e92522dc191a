package cache

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"

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
	id := memoID(output, name)
	file := encodeMemo(data)
	if err := writeAtomic(s.memoPathOf(id), file); err != nil {
		return fmt.Errorf("store render cache memo %s: %w", name, err)
	}
	s.pushRemote(pushJob{key: id, memo: file})
	return nil
}

// encodeMemo is the memo file of data: magic and CRC-32C, then data.
func encodeMemo(data []byte) []byte {
	var b bytes.Buffer
	b.Grow(len(memoMagic) + 10 + len(data))
	b.WriteString(memoMagic)
	b.WriteByte(' ')
	b.WriteString(strconv.FormatUint(uint64(checksum(data)), 16))
	b.WriteByte('\n')
	b.Write(data)
	return b.Bytes()
}

// decodeMemo returns the data of a memo file whose magic and checksum are intact.
func decodeMemo(raw []byte) ([]byte, bool) {
	header, data, ok := bytes.Cut(raw, []byte("\n"))
	if !ok {
		return nil, false
	}
	magic, sum, ok := bytes.Cut(header, []byte(" "))
	if !ok || string(magic) != memoMagic || string(sum) != strconv.FormatUint(uint64(checksum(data)), 16) {
		return nil, false
	}
	return data, true
}

// GetMemo returns what PutMemo stored for output and name, from the local directory or else
// the remote. A missing or corrupt memo is a miss; the error reports only a cache directory
// that cannot be read.
func (s *Store) GetMemo(output []byte, name string) ([]byte, bool, error) {
	id := memoID(output, name)
	p := s.memoPathOf(id)
	raw, err := os.ReadFile(p)
	if errors.Is(err, fs.ErrNotExist) {
		if s.remote != nil {
			data, ok := s.fetchRemoteMemo(id)
			return data, ok, nil
		}
		return nil, false, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("read render cache memo %s: %w", name, fsutil.WithoutPath(err))
	}
	data, ok := decodeMemo(raw)
	if !ok {
		return nil, false, nil
	}
	touch(p)
	return data, true, nil
}

// localMemo returns the memo of name for the output whose sha256 hex is outputSum from the
// local directory only: a missing or corrupt memo is a miss, as is an unreadable one.
func (s *Store) localMemo(outputSum, name string) ([]byte, string, bool) {
	p := s.memoPathOf(memoIDOfSum(outputSum, name))
	raw, err := s.memoMaps.read(p)
	if err != nil {
		return nil, "", false
	}
	data, ok := decodeMemo(raw)
	return data, p, ok
}

// memoID names the memo of name for output.
func memoID(output []byte, name string) string {
	return memoIDOfSum(sha256Hex(output), name)
}

// memoIDOfSum is memoID for the output whose sha256 hex is outputSum: the name of its blob.
func memoIDOfSum(outputSum, name string) string {
	return sha256Hex([]byte(outputSum + "\x00" + name))
}

func (s *Store) memoPathOf(id string) string {
	return filepath.Join(s.dir, memoDir, id[:2], id)
}
