package auth

import (
	"slices"
	"strings"
	"testing"
)

// The password policy, case by case: what is refused and why, and what
// passes. Account: username "alice", email "alice.smith@example.com".
func TestPasswordProblem(t *testing.T) {
	builtFromUser, builtFromEmail, builtFromSite := "is built from your username", "is built from your email address", "is built from the site's name"
	for _, tc := range []struct {
		password string
		want     string // a prefix of the reason; "" = accepted
	}{
		// Length counts characters, not bytes.
		{"short", PasswordTooShort},
		{"ÄÖÜäöü7", PasswordTooShort},
		{"ÄÖÜäöüßé", ""},
		{strings.Repeat("word ", 52), PasswordTooLong},
		{"bad\xffutf8 text", PasswordNotUTF8},
		{"        ", PasswordBlank},
		{"\t\t  \n    ", PasswordBlank},
		// The most common passwords, in any case, and with bits added.
		{"12345678", PasswordPattern},
		{"password", PasswordCommon},
		{"PassWord", PasswordCommon},
		{"iloveyou", PasswordCommon},
		{"trustno1", PasswordCommon},
		{"qwertyuiop", PasswordPattern},
		{"football", PasswordCommon},
		{"iloveyou2024!", PasswordCommonPlus},
		{"!!sunshine!!", PasswordCommonPlus},
		// Patterns.
		{"aaaaaaaa", PasswordPattern},
		{"zzzzzzzzzzzzzzzzzz", PasswordPattern},
		{"abcdefgh", PasswordPattern},
		{"87654321", PasswordPattern},
		{"abcd4321", PasswordPattern},
		{"aaaa1111", PasswordPattern},
		{"xyxyxyxyxy", PasswordPattern},
		{"tomato-tomato-", PasswordPattern},
		{"qwertzui", PasswordPattern},
		{"poiuytre", PasswordPattern},
		{"asdfghjk", PasswordPattern},
		// Built from the account or the site.
		{"alice", PasswordTooShort},
		{"ALICE123", builtFromUser},
		{"alice.smith", builtFromUser}, // username first, the rest from the email
		{"alice2024!", builtFromUser},
		{"alicealice", builtFromUser},
		{"smith1990", builtFromEmail},
		{"alice.smith@example.com", PasswordIsAccount},
		{"reccollection", builtFromSite},
		{"RecCollection2026", builtFromSite},
		// Accepted: long phrases, even ones that mention the name.
		{"correct horse battery staple", ""},
		{"a quiet kitchen garden", ""},
		{"alice loves slow-cooked beans", ""},
		{"tomato soup in december", ""},
		{"Ba9#kL2!", ""},
		{"        x", PasswordPattern},
		{"   jam tarts   ", ""},
		{"plum-jam-on-toast", ""},
	} {
		got := PasswordProblem(tc.password, "alice", "alice.smith@example.com")
		if tc.want == "" && got != "" || tc.want != "" && !strings.HasPrefix(got, tc.want) {
			t.Errorf("PasswordProblem(%q) = %q, want %q", tc.password, got, tc.want)
		}
	}
}

// The embedded list loads, is sorted for binary search, holds only what the
// length rule lets through, lower-cased, and has the expected size.
func TestCommonPasswordList(t *testing.T) {
	list := commonPasswords()
	if len(list) != 38452 {
		t.Errorf("list has %d entries, want 38452 (see commonpasswords/README.md)", len(list))
	}
	if !slices.IsSorted(list) {
		t.Error("list is not sorted bytewise")
	}
	for _, p := range list {
		if len([]rune(p)) < MinPassword || p != strings.ToLower(p) {
			t.Fatalf("entry %q is shorter than %d characters or not lower case", p, MinPassword)
		}
	}
	if len(slices.Compact(slices.Clone(list))) != len(list) {
		t.Error("list has duplicates")
	}
}
