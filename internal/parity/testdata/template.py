# Slides 28-30: render_template with a value and a list.
# Usage: python3 template.py PORT
import sys

from flask import Flask, render_template

app = Flask(__name__)


@app.route("/")
def home():
    return render_template("home.html", name="홍길동")


@app.route("/s2")
def s2():
    return render_template("home.html", name="홍길동", list=["홍길동", "이순신", "임꺽정"])


if __name__ == "__main__":
    port = int(sys.argv[1]) if len(sys.argv) > 1 else 8080
    app.run(host="127.0.0.1", port=port)
