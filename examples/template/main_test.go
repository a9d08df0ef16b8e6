package main

import (
	"net/http/httptest"
	"os"
	"strings"
	"testing"
)

func TestTemplate(t *testing.T) {
	tests := []struct {
		name, path string
		want       []string
		notWant    []string
	}{
		{"empty list", "/", []string{"Hello Flask Template 홍길동", "<ul>", "</ul>"}, []string{"<li>"}},
		{"three names", "/s2", []string{"Hello Flask Template 홍길동", "<li>홍길동</li>", "<li>이순신</li>", "<li>임꺽정</li>"}, nil},
		{"posts", "/posts", []string{
			"<h1>두 번째 글</h1>", "by 이순신 on 2025-03-05", "<p class=\"body\">&lt;b&gt; stays text</p>",
			"</article>\n<hr>\n<article", "by 홍길동 on 2025-03-01", "</article>\n<script>const postIDs = [2,1];</script>",
		}, []string{"<span>", "Edit"}},
		{"posts as a user", "/posts?user=%ED%99%8D%EA%B8%B8%EB%8F%99", []string{
			"<span>홍길동</span>", "<a class=\"action\" href=\"/posts/1\">Edit</a>",
		}, []string{"/posts/2"}},
	}
	app := newApp()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := httptest.NewRecorder()
			app.ServeHTTP(w, httptest.NewRequest("GET", tt.path, nil))
			if w.Code != 200 || w.Header().Get("Content-Type") != "text/html; charset=utf-8" {
				t.Fatalf("GET %s: %d %q", tt.path, w.Code, w.Header().Get("Content-Type"))
			}
			body := w.Body.String()
			for _, s := range tt.want {
				if !strings.Contains(body, s) {
					t.Errorf("GET %s lacks %q:\n%s", tt.path, s, body)
				}
			}
			for _, s := range tt.notWant {
				if strings.Contains(body, s) {
					t.Errorf("GET %s has %q:\n%s", tt.path, s, body)
				}
			}
		})
	}
}

// TestTemplateFromOtherDir checks templates/ is found beside the source,
// not in the working directory, as go run ./examples/template needs.
func TestTemplateFromOtherDir(t *testing.T) {
	wd, _ := os.Getwd()
	defer os.Chdir(wd)
	if err := os.Chdir(t.TempDir()); err != nil {
		t.Fatal(err)
	}
	w := httptest.NewRecorder()
	newApp().ServeHTTP(w, httptest.NewRequest("GET", "/s2", nil))
	if w.Code != 200 || !strings.Contains(w.Body.String(), "<li>임꺽정</li>") {
		t.Fatalf("GET /s2 from another folder: %d %q", w.Code, w.Body.String())
	}
}
