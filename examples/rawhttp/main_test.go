package main

import (
	"bytes"
	"strings"
	"testing"
)

func TestRawHTTP(t *testing.T) {
	var out bytes.Buffer
	if err := run("127.0.0.1:0", &out); err != nil {
		t.Fatal(err)
	}
	s := out.String()
	for _, want := range []string{
		"GET /service?name1=value1&name2=value2 HTTP/1.1\r\n",
		"POST /service HTTP/1.1\r\n",
		"\r\n\r\nname1=value1&name2=value2",
		"HTTP/1.1 200 OK\r\n",
		"name1=value1 name2=value2 (GET)",
		"name1=value1 name2=value2 (POST)",
	} {
		if !strings.Contains(s, want) {
			t.Errorf("output lacks %q:\n%s", want, s)
		}
	}
}
