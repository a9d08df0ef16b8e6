#!/usr/bin/python3
"""Draw the cases of cases.json with Pillow and save them as reference PNGs.

Run from the repository root with Debian's Pillow (apt-get install python3-pil):

    /usr/bin/python3 testdata/pillow/gen.py

raster_test.go draws the same cases with flasky and compares pixels.
"""
import json
import os

import PIL
from PIL import Image, ImageDraw

HERE = os.path.dirname(os.path.abspath(__file__))


def main():
    cases = []
    # cases.json: shapes of image.go; cases_extra.json: arcs
    # (image_draw_extra.go), with "start" and "end" angles.
    for name in ("cases.json", "cases_extra.json"):
        with open(os.path.join(HERE, name)) as f:
            cases += json.load(f)
    for case in cases:
        mode = case.get("mode", "RGB")
        im = Image.new(mode, tuple(case["size"]), case.get("bg", 0))
        d = ImageDraw.Draw(im)
        for op in case["ops"]:
            kw = {k: op[k] for k in ("fill", "outline", "width") if k in op}
            args = [op["xy"]] + [op[k] for k in ("start", "end") if k in op]
            getattr(d, op["op"])(*args, **kw)
        im.save(os.path.join(HERE, case["name"] + ".png"))
    # Resize and thumbnail references for image_transform_test.go: a
    # source with edges and a gradient, scaled with Pillow's defaults.
    src = Image.new("RGB", (97, 73), "navy")
    for x in range(97):
        ImageDraw.Draw(src).line((x, 0, x, 20), fill=(x * 2, 255 - x * 2, 128))
    d = ImageDraw.Draw(src)
    d.ellipse((10, 25, 60, 70), fill="yellow", outline="red", width=3)
    d.rectangle((65, 30, 90, 60), fill="white")
    d.line((0, 72, 96, 22), fill="lime", width=2)
    src.save(os.path.join(HERE, "resize_src.png"))
    src.resize((40, 30)).save(os.path.join(HERE, "resize_down.png"))
    src.resize((150, 110)).save(os.path.join(HERE, "resize_up.png"))
    th = src.copy()
    th.thumbnail((50, 50))
    th.save(os.path.join(HERE, "thumbnail_50.png"))
    # Slide 33 exactly as the slide saves it, for examples/image's PSNR test.
    im = Image.new("RGB", (220, 190))
    ImageDraw.Draw(im).rectangle((40, 40, 210, 180), fill="#ffff33", outline="red")
    im.save(os.path.join(HERE, "slide33_q70.jpg"), "JPEG", quality=70)
    with open(os.path.join(HERE, "VERSION"), "w") as f:
        f.write("Pillow %s\n" % PIL.__version__)


if __name__ == "__main__":
    main()
