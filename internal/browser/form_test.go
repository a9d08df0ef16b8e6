package browser

import (
	"net/url"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestFormInBrowser types into both forms of examples/form (slides 26
// and 27), submits each with its button and reads the answer as a person
// sees it: Korean comes back intact through the query string (GET) and
// the body (POST), and markup typed into a field shows as text.
func TestFormInBrowser(t *testing.T) {
	t.Parallel()
	chromium := findChromium(t)
	base := startExample(t, "form")
	ctx := newBrowser(t, chromium)

	tests := []struct {
		label              string
		form, method, path string // the form's action, how it sends, where it lands
		name, email        string
		noMarkup           bool // the answer page must hold no element but <br>
	}{
		{"GET hangul", "formget", "GET", "/formget", "홍길동", "kim", false},
		{"POST hangul", "form", "POST", "/form", "홍길동", "kim", false},
		{"GET markup", "formget", "GET", "/formget", "<b>kim</b>", "홍@예제.한국", true},
		{"POST markup", "form", "POST", "/form", "<b>kim</b>", "홍@예제.한국", true},
	}
	for _, tt := range tests {
		t.Run(tt.label, func(t *testing.T) {
			sel := `form[action="` + tt.form + `"] `
			if err := chromedp.Do(ctx,
				chromedp.Navigate(base+"/"),
				chromedp.SendKeys(chromedp.CSS(sel+`input[name="name"]`), tt.name),
				chromedp.SendKeys(chromedp.CSS(sel+`input[name="email"]`), tt.email),
			); err != nil {
				t.Fatalf("%s form: typing %q and %q: %v", tt.method, tt.name, tt.email, err)
			}
			typed, err := chromedp.Run(ctx, chromedp.Value(chromedp.CSS(sel+`input[name="name"]`)))
			if err != nil || typed != tt.name {
				t.Errorf("%s form: the name field holds %q (%v) after typing %q", tt.method, typed, err, tt.name)
			}

			resp, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(sel+`input[type="submit"]`)))
			if err != nil {
				t.Fatalf("%s form: submitting: %v", tt.method, err)
			}
			loc, err := chromedp.Run(ctx, chromedp.Location())
			if err != nil {
				t.Fatal(err)
			}
			text, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("body")))
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("%s form: typed name %q, email %q, clicked send: %d at %s, page reads %q",
				tt.method, tt.name, tt.email, resp.Status, loc, text)

			u, err := url.Parse(loc)
			if err != nil {
				t.Fatal(err)
			}
			if resp.Status != 200 || u.Path != tt.path {
				t.Errorf("%s form: landed on %s with status %d, want %s and 200", tt.method, loc, resp.Status, tt.path)
			}
			if tt.method == "GET" && (u.Query().Get("name") != tt.name || u.Query().Get("email") != tt.email) {
				t.Errorf("GET form: query %q, want name=%q email=%q", u.RawQuery, tt.name, tt.email)
			}
			if tt.method == "POST" && u.RawQuery != "" {
				t.Errorf("POST form: values in the URL %q, want them in the body", u.RawQuery)
			}
			want := "name = " + tt.name + "\nemail = " + tt.email
			if got := strings.TrimSpace(text); got != want {
				t.Errorf("%s form: page reads %q, want %q", tt.method, got, want)
			}
			if tt.noMarkup {
				tags, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](
					`[...document.body.querySelectorAll("*")].map(e => e.tagName).filter(n => n !== "BR")`))
				if err != nil {
					t.Fatal(err)
				}
				if len(tags) != 0 {
					t.Errorf("%s form: typed markup became elements %v, want it shown as text", tt.method, tags)
				}
			}
		})
	}
}
