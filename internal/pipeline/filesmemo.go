package pipeline

import (
	"encoding/binary"

	"github.com/kforge/kforge/internal/golden"
)

// encodeFilesMemo encodes an environment's golden files and its extraction warnings for the
// memo: the number of warnings, each warning, the number of files, then per file its path,
// resource, kind, secret flag and content, every string and byte slice prefixed by its length
// (uvarints). Unlike gob, which copies a message into its own buffer and every value out of it,
// decodeFilesMemo leaves the contents where they are: a warm run holds one copy of the YAML.
func encodeFilesMemo(files []golden.File, warnings []string) []byte {
	n := 2 * binary.MaxVarintLen64
	for _, w := range warnings {
		n += binary.MaxVarintLen64 + len(w)
	}
	for _, f := range files {
		n += 4*binary.MaxVarintLen64 + 1 + len(f.Path) + len(f.Resource) + len(f.Kind) + len(f.Content)
	}
	b := make([]byte, 0, n)
	b = binary.AppendUvarint(b, uint64(len(warnings)))
	for _, w := range warnings {
		b = appendBytes(b, w)
	}
	b = binary.AppendUvarint(b, uint64(len(files)))
	for _, f := range files {
		b = appendBytes(b, f.Path)
		b = appendBytes(b, f.Resource)
		b = appendBytes(b, f.Kind)
		secret := byte(0)
		if f.Secret {
			secret = 1
		}
		b = append(b, secret)
		b = appendBytes(b, f.Content)
	}
	return b
}

// appendBytes appends s to b, prefixed by its length.
func appendBytes[S string | []byte](b []byte, s S) []byte {
	b = binary.AppendUvarint(b, uint64(len(s)))
	return append(b, s...)
}

// decodeFilesMemo decodes what encodeFilesMemo encoded; ok is false when data is not such an
// encoding (nothing left over, no length beyond the end). The files' contents are slices of data
// (their capacity ends with them), which must therefore not change afterwards.
func decodeFilesMemo(data []byte) (files []golden.File, warnings []string, ok bool) {
	d := memoDecoder{data: data}
	nw := d.count()
	for range nw {
		warnings = append(warnings, string(d.bytes()))
	}
	nf := d.count()
	if d.bad {
		return nil, nil, false
	}
	files = make([]golden.File, 0, nf)
	for range nf {
		var f golden.File
		f.Path = string(d.bytes())
		f.Resource = string(d.bytes())
		f.Kind = string(d.bytes())
		switch d.byte() {
		case 0:
		case 1:
			f.Secret = true
		default:
			d.bad = true
		}
		f.Content = d.bytes()
		if d.bad {
			return nil, nil, false
		}
		files = append(files, f)
	}
	if d.bad || len(d.data) != 0 {
		return nil, nil, false
	}
	return files, warnings, true
}

// memoDecoder reads the fields of a files memo from data; bad is set at the first malformed one.
type memoDecoder struct {
	data []byte
	bad  bool
}

// count reads a number of items, each of which takes at least one byte.
func (d *memoDecoder) count() int {
	n := d.uvarint()
	if n > uint64(len(d.data)) {
		d.bad = true
		return 0
	}
	return int(n)
}

func (d *memoDecoder) uvarint() uint64 {
	if d.bad {
		return 0
	}
	n, size := binary.Uvarint(d.data)
	if size <= 0 {
		d.bad = true
		return 0
	}
	d.data = d.data[size:]
	return n
}

func (d *memoDecoder) byte() byte {
	if d.bad || len(d.data) == 0 {
		d.bad = true
		return 0
	}
	c := d.data[0]
	d.data = d.data[1:]
	return c
}

// bytes reads a length-prefixed byte string, a slice of data.
func (d *memoDecoder) bytes() []byte {
	n := d.uvarint()
	if d.bad || n > uint64(len(d.data)) {
		d.bad = true
		return nil
	}
	b := d.data[:n:n]
	d.data = d.data[n:]
	return b
}
