#!/usr/bin/python3
"""Draw the cases of cases.json with Pillow and save them as reference PNGs.

Run from the repository root with Debian's Pillow (apt-get install python3-pil):

    /usr/bin/python3 testdata/pillow/gen.py

image_pillow_test.go draws the same cases with flasky and compares pixels.
"""
import json
import os

import PIL
from PIL import Image, ImageDraw

HERE = os.path.dirname(os.path.abspath(__file__))


def main():
    with open(os.path.join(HERE, "cases.json")) as f:
        cases = json.load(f)
    for case in cases:
        mode = case.get("mode", "RGB")
        im = Image.new(mode, tuple(case["size"]), case.get("bg", 0))
        d = ImageDraw.Draw(im)
        for op in case["ops"]:
            kw = {k: op[k] for k in ("fill", "outline", "width") if k in op}
            getattr(d, op["op"])(op["xy"], **kw)
        im.save(os.path.join(HERE, case["name"] + ".png"))
    # Slide 33 exactly as the slide saves it, for examples/image's PSNR test.
    im = Image.new("RGB", (220, 190))
    ImageDraw.Draw(im).rectangle((40, 40, 210, 180), fill="#ffff33", outline="red")
    im.save(os.path.join(HERE, "slide33_q70.jpg"), "JPEG", quality=70)
    with open(os.path.join(HERE, "VERSION"), "w") as f:
        f.write("Pillow %s\n" % PIL.__version__)


if __name__ == "__main__":
    main()
