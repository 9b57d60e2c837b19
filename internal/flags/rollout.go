package flags

import (
	"crypto/sha256"
	"encoding/binary"
)

// Buckets is how finely a rollout divides users: a percentage p covers
// buckets [0, p*100), so a rollout can move in steps of 0.01 %.
const Buckets = 10000

// Bucket places a user in one of Buckets buckets for a flag: the first 8
// bytes of SHA-256(key + ":" + userID), read big-endian, modulo Buckets.
// It depends on nothing but its inputs, so every process and every
// release agrees; the key is mixed in so that each flag's 10 % is a
// different 10 % of users. Raising a rollout only adds users: whoever is
// in at 10 % is still in at 25 %.
func Bucket(key, userID string) int {
	h := sha256.New()
	h.Write([]byte(key))
	h.Write([]byte{':'})
	h.Write([]byte(userID))
	var sum [sha256.Size]byte
	return int(binary.BigEndian.Uint64(h.Sum(sum[:0])[:8]) % Buckets)
}

// inRollout reports whether the user's bucket falls inside percent.
func inRollout(key, userID string, percent int) bool {
	return Bucket(key, userID) < percent*(Buckets/100)
}
