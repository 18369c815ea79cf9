package store

import (
	"encoding/json"
	"errors"
	"fmt"
)

// ErrNewerSchema means a record was written by a newer version of the
// program than the one reading it; reading it could lose fields.
var ErrNewerSchema = errors.New("record written by a newer schema version")

// Versioned is implemented by record types whose stored shape has changed
// over time. Records that do not implement it are version 1.
type Versioned interface {
	SchemaVersion() int
}

// envelope is the stored form of a JSON record: the schema version next to
// the data, so a reader can migrate old records and refuse newer ones.
type envelope[T any] struct {
	V int `json:"v"`
	D T   `json:"d"`
}

func versionOf(v any) int {
	if vv, ok := v.(Versioned); ok {
		return vv.SchemaVersion()
	}
	return 1
}

// PutJSON stores v at key as a versioned JSON record.
func PutJSON[T any](tx Tx, bucket string, key []byte, v T) error {
	b, err := json.Marshal(envelope[T]{V: versionOf(v), D: v})
	if err != nil {
		return fmt.Errorf("encode %s/%x: %w", bucket, key, err)
	}
	return tx.Put(bucket, key, b)
}

// GetJSON reads the record at key. ok is false when the key is absent.
func GetJSON[T any](tx Tx, bucket string, key []byte) (v T, ok bool, err error) {
	b, err := tx.Get(bucket, key)
	if err != nil || b == nil {
		return v, false, err
	}
	v, err = DecodeJSON[T](b)
	if err != nil {
		return v, false, fmt.Errorf("%s/%x: %w", bucket, key, err)
	}
	return v, true, nil
}

// DecodeJSON decodes a value written by PutJSON, as handed to a Scan callback.
func DecodeJSON[T any](b []byte) (T, error) {
	var e envelope[T]
	if err := json.Unmarshal(b, &e); err != nil {
		return e.D, fmt.Errorf("decode record: %w", err)
	}
	if want := versionOf(e.D); e.V > want {
		return e.D, fmt.Errorf("version %d > %d: %w", e.V, want, ErrNewerSchema)
	}
	return e.D, nil
}

// ScanJSON calls fn with each decoded record under prefix, in key order.
func ScanJSON[T any](tx Tx, bucket string, prefix []byte, fn func(key []byte, v T) error) error {
	return tx.Scan(bucket, prefix, func(k, b []byte) error {
		v, err := DecodeJSON[T](b)
		if err != nil {
			return fmt.Errorf("%s/%x: %w", bucket, k, err)
		}
		return fn(k, v)
	})
}

// FindJSON reads the record at key like GetJSON, but returns notFound
// (wrapped with the key) when it is absent: the "get this record or say it
// does not exist" that every domain package needs.
func FindJSON[T any](tx Tx, bucket string, key []byte, notFound error) (T, error) {
	v, ok, err := GetJSON[T](tx, bucket, key)
	if err == nil && !ok {
		err = fmt.Errorf("%s/%x: %w", bucket, key, notFound)
	}
	return v, err
}
