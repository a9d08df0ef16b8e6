# Slide 25: many URLs in one program. /s2 and /s3 share one view;
# /s5/<name> takes a value from the path.
# Usage: python3 routes.py PORT
import sys

from flask import Flask

app = Flask(__name__)


@app.route("/")
def home():
    return "<h1>Hello Flask</h1>"


@app.route("/s1")
def s1():
    return "Hello s1"


@app.route("/s2")
@app.route("/s3")
def s2():
    return "Hello s2"


@app.route("/s5/<name>")
def s5(name):
    return "data=" + name


if __name__ == "__main__":
    port = int(sys.argv[1]) if len(sys.argv) > 1 else 8080
    app.run(host="127.0.0.1", port=port)
