# Slide 33: draw an image with Pillow and send it as a JPEG from memory.
# Usage: python3 image.py PORT (needs Pillow: Debian's python3-pil)
import io
import sys

from flask import Flask, send_file
from PIL import Image, ImageDraw

app = Flask(__name__)


@app.route("/get_image2")
def get_image2():
    img = Image.new("RGB", (220, 190))
    draw = ImageDraw.Draw(img)
    draw.rectangle([(40, 40), (210, 180)], fill="#ffff33", outline="red")
    img_io = io.BytesIO()
    img.save(img_io, "JPEG", quality=70)
    img_io.seek(0)
    return send_file(img_io, mimetype="image/jpeg")


if __name__ == "__main__":
    port = int(sys.argv[1]) if len(sys.argv) > 1 else 8080
    app.run(host="127.0.0.1", port=port)
