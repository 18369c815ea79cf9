package store

import (
	"encoding/binary"
	"fmt"
)

// Key builds a composite, byte-sortable key from its parts: uint64 IDs as
// 8 big-endian bytes (so numeric and byte order agree) and strings as their
// bytes followed by a 0 separator (so "ab" sorts before "abc"). Put the area
// ID first where data belongs to an area, so one prefix scan yields one area.
func Key(parts ...any) []byte {
	n := 0
	for _, p := range parts {
		switch v := p.(type) {
		case uint64:
			n += 8
		case string:
			n += len(v) + 1
		case []byte:
			n += len(v)
		}
	}
	k := make([]byte, 0, n)
	for _, p := range parts {
		switch v := p.(type) {
		case uint64:
			k = binary.BigEndian.AppendUint64(k, v)
		case string:
			k = append(k, v...)
			k = append(k, 0)
		case []byte:
			k = append(k, v...)
		default:
			panic(fmt.Sprintf("store.Key: unsupported part type %T", p)) // programming error, never input
		}
	}
	return k
}

// ID encodes one uint64 as an 8-byte big-endian key.
func ID(id uint64) []byte { return binary.BigEndian.AppendUint64(make([]byte, 0, 8), id) }

// ParseID reads the 8-byte big-endian ID at offset off of key.
func ParseID(key []byte, off int) (uint64, error) {
	if off < 0 || len(key) < off+8 {
		return 0, fmt.Errorf("key %x too short for an ID at %d", key, off)
	}
	return binary.BigEndian.Uint64(key[off : off+8]), nil
}
