package notify

import (
	"bytes"
	"embed"
	"fmt"
	htmltemplate "html/template"
	"strings"
	texttemplate "text/template"
	"unicode"
)

// Each email is two embedded templates, name.txt (text/template, which
// also defines the "subject") and name.html (html/template, which escapes
// what users typed, such as a display name).
//
//go:embed templates
var templateFS embed.FS

var (
	textTemplates = texttemplate.Must(texttemplate.ParseFS(templateFS, "templates/*.txt"))
	htmlTemplates = htmltemplate.Must(htmltemplate.ParseFS(templateFS, "templates/*.html"))
)

// Render builds the message name for to from data.
func Render(name, to string, data any) (Message, error) {
	var subject, text, html bytes.Buffer
	t := textTemplates.Lookup(name + ".txt")
	h := htmlTemplates.Lookup(name + ".html")
	if t == nil || h == nil {
		return Message{}, fmt.Errorf("render email %s: no such template", name)
	}
	if err := t.ExecuteTemplate(&subject, name+".subject", data); err != nil {
		return Message{}, fmt.Errorf("render email %s subject: %w", name, err)
	}
	if err := t.Execute(&text, data); err != nil {
		return Message{}, fmt.Errorf("render email %s text: %w", name, err)
	}
	if err := h.Execute(&html, data); err != nil {
		return Message{}, fmt.Errorf("render email %s html: %w", name, err)
	}
	return Message{To: to, Subject: strings.TrimSpace(subject.String()), Text: text.String(), HTML: html.String()}, nil
}

// PasswordReset is the data of the password reset email.
type PasswordReset struct {
	Name    string // how to greet the user
	Link    string // the reset page with the token
	Expires string // how long the link works, in words
	SiteURL string
}

// EmailChange is the data of the message that confirms a new address,
// sent to that address.
type EmailChange struct {
	Name     string // how to greet the user
	Username string
	NewEmail string
	Link     string // the confirmation page with the token
	Expires  string // how long the link works, in words
	SiteURL  string
}

// EmailChangeNotice is the data of the message that tells the current
// address that a change to another was asked for.
type EmailChangeNotice struct {
	Name        string
	MaskedEmail string // the new address, partly hidden (MaskEmail)
	SettingsURL string
	ForgotURL   string
	SiteURL     string
}

// MaskEmail hides most of an address's local part: n***@example.com.
// The notice to the old address says where the change goes without
// handing whoever reads that mailbox the new address in full.
func MaskEmail(addr string) string {
	at := strings.LastIndex(addr, "@")
	if at < 1 {
		return "***"
	}
	r := []rune(addr[:at])
	return string(r[0]) + "***" + addr[at:]
}

// SharedRecipe is the data of the message that sends a share link: what
// the sender typed (Message) reaches the text part as it is and the HTML
// part escaped, and never a header.
type SharedRecipe struct {
	SenderName     string // the sender's display name, on one line
	SenderUsername string
	Title          string // the recipe's title, on one line
	Message        string // the sender's note, possibly empty
	Link           string // the share page with the token
	Expires        string // the day the link stops working, "" for never
	SiteURL        string
}

// HouseholdInvitation is the data of the message that sends an
// invitation to a household.
type HouseholdInvitation struct {
	SenderName     string // the inviter's display name, on one line
	SenderUsername string
	Household      string // the household's name, on one line
	Link           string // the invitation page with the token
	Expires        string // the day the link stops working
	SiteURL        string
}

// Notification is the data of the email of one notification.
type Notification struct {
	Name        string // how to greet the recipient
	Sentence    string // what happened, in a sentence (notifications.Describe)
	Link        string // where to see it
	SettingsURL string // the notification settings
	// UnsubscribeURL stops this kind of email without signing in; the
	// same address goes into the List-Unsubscribe header.
	UnsubscribeURL string
	SiteURL        string
}

// Digest is the data of the daily digest email.
type Digest struct {
	Name           string
	Items          []DigestItem
	More           int    // notifications owed beyond Items
	ListURL        string // the notifications page
	SettingsURL    string
	UnsubscribeURL string // stops the digest without signing in
	SiteURL        string
}

// DigestItem is one line of a digest.
type DigestItem struct {
	Sentence string
	Link     string
}

// OneLine keeps a name or title that goes into a subject or a sentence on
// one line, whatever it holds: control characters become spaces and runs
// of space one.
func OneLine(s string) string {
	return strings.Join(strings.Fields(strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return ' '
		}
		return r
	}, s)), " ")
}
