package flasky

import "fmt"

// Flash is one flashed message. Printed in a template ({{.}}) it shows
// its Message, as a message from Flask's get_flashed_messages() does.
type Flash struct {
	// Category is the second argument of Ctx.Flash: "message" by
	// default, or what the app chose ("error", "success"...).
	Category string
	// Message is the text flashed.
	Message string
}

// String returns the message.
func (f Flash) String() string { return f.Message }

// flashKey is where the session keeps flashed messages, as in Flask.
const flashKey = "_flashes"

// flashedKey caches the messages taken by this request in c.store, so
// every read in one request sees the same messages.
const flashedKey = "flasky.flashed"

// Flash stores a message for the next request that reads flashed messages
// (usually the page a redirect leads to), like Flask's flash(message,
// category). The category defaults to "message". It cannot fail where it
// is called: it keeps the message in the session, so without a
// [Config.SecretKey] (or when the session's store fails) the request
// ends as [Ctx.Session] says; and giving more than one category is a
// mistake in the program, which panics.
func (c *Ctx) Flash(message string, category ...string) {
	if len(category) > 1 {
		panic(fmt.Sprintf("flasky: Flash(%q): %d categories given, want at most one", message, len(category)))
	}
	s := c.Session()
	cat := "message"
	if len(category) > 0 {
		cat = category[0]
	}
	if sig := &c.app.Signals.MessageFlashed; sig.subs != nil {
		sig.send(MessageFlashed{Ctx: c, Message: message, Category: cat})
	}
	list := append(sessionFlashes(s), Flash{Category: cat, Message: message})
	raw := make([]any, len(list))
	for i, f := range list {
		raw[i] = []any{f.Category, f.Message}
	}
	// Strings always encode: Set cannot fail.
	s.Set(flashKey, raw)
}

// FlashedMessages returns the messages flashed by earlier requests and
// removes them from the session, like Flask's get_flashed_messages. With
// categories, only messages of those categories are returned (all are
// removed all the same, as in Flask). Templates call it as
// get_flashed_messages:
//
//	{{range get_flashed_messages}}<p class="flash">{{.}}</p>{{end}}
//	{{range get_flashed_messages "error"}}<p class="error">{{.Message}}</p>{{end}}
//
// Without a secret key there is no session, and no messages.
func (c *Ctx) FlashedMessages(categories ...string) []Flash {
	list, ok := c.store[flashedKey].([]Flash)
	if !ok {
		if c.sess == nil && c.app.SessionInterface == nil && len(c.app.Config.SecretKey) == 0 {
			return nil // no session: nothing was flashed
		}
		s := c.Session()
		list = sessionFlashes(s)
		s.Delete(flashKey)
		c.Set(flashedKey, list)
	}
	if len(categories) == 0 {
		return list
	}
	var out []Flash
	for _, f := range list {
		for _, cat := range categories {
			if f.Category == cat {
				out = append(out, f)
				break
			}
		}
	}
	return out
}

// sessionFlashes reads the flashed messages kept in the session: JSON
// arrays of [category, message].
func sessionFlashes(s *Session) []Flash {
	v, _ := s.Get(flashKey).([]any)
	if len(v) == 0 {
		return nil
	}
	out := make([]Flash, 0, len(v))
	for _, e := range v {
		pair, ok := e.([]any)
		if !ok || len(pair) != 2 {
			continue
		}
		cat, _ := pair[0].(string)
		msg, _ := pair[1].(string)
		out = append(out, Flash{Category: cat, Message: msg})
	}
	return out
}
