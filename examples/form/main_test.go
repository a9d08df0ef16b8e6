package main

import (
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

func TestForm(t *testing.T) {
	tests := []struct {
		label       string
		name, email string
		want        string
	}{
		{"ascii", "kim", "kim@example.com", "name = kim<br/>email = kim@example.com<br/>"},
		{"hangul", "홍길동", "홍@예제.한국", "name = 홍길동<br/>email = 홍@예제.한국<br/>"},
		{"markup escaped", "<script>alert(1)</script>", "a&b", "name = &lt;script&gt;alert(1)&lt;/script&gt;<br/>email = a&amp;b<br/>"},
		{"empty", "", "", "name = <br/>email = <br/>"},
	}
	app := newApp()
	for _, tt := range tests {
		t.Run(tt.label, func(t *testing.T) {
			client := app.TestClient(t)
			form := url.Values{"name": {tt.name}, "email": {tt.email}}
			res := client.Get("/formget?" + form.Encode())
			if res.Code != 200 || res.Text() != tt.want {
				t.Errorf("GET %s: %d %q, want 200 %q", res.Path, res.Code, res.Text(), tt.want)
			}
			res = client.Post("/form", form)
			if res.Code != 200 || res.Text() != tt.want {
				t.Errorf("POST /form %v: %d %q, want 200 %q", form, res.Code, res.Text(), tt.want)
			}
		})
	}
}

func TestFormPage(t *testing.T) {
	w := httptest.NewRecorder()
	newApp().ServeHTTP(w, httptest.NewRequest("GET", "/", nil))
	body := w.Body.String()
	for _, want := range []string{`action="formget"`, `name="name"`, `name="email"`, `value="send"`, `action="form" method="post"`} {
		if !strings.Contains(body, want) {
			t.Errorf("form page lacks %s", want)
		}
	}
}

func TestFormWrongMethod(t *testing.T) {
	w := httptest.NewRecorder()
	newApp().ServeHTTP(w, httptest.NewRequest("POST", "/formget", nil))
	if w.Code != 405 || w.Header().Get("Allow") != "GET, HEAD, OPTIONS" {
		t.Errorf("POST /formget: %d Allow %q, want 405 with GET, HEAD, OPTIONS", w.Code, w.Header().Get("Allow"))
	}
}
