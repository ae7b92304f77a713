"""The write-up tools, one command line.

    python -m tools.report template   # regenerate report_template.pptx
    python -m tools.report fill       # the filled reference report (make report)
    python -m tools.report key        # print the theory answer key
"""
import argparse
import os
import sys

from ..atomic import write_text
from . import answer_key, run_data

TEMPLATE = os.path.join(run_data.ROOT, "report_template.pptx")
OUT_DIR = os.path.join(run_data.ROOT, "dist", "report")


def main(argv=None):
    p = argparse.ArgumentParser(prog="python -m tools.report", description=__doc__.splitlines()[0])
    sub = p.add_subparsers(dest="cmd", required=True)
    t = sub.add_parser("template", help="write report_template.pptx")
    t.add_argument("--out", default=TEMPLATE)
    f = sub.add_parser("fill", help="write the filled reference report (.pptx, and PDF/PNGs if LibreOffice)")
    f.add_argument("--template", default=TEMPLATE)
    f.add_argument("--out-dir", default=OUT_DIR)
    f.add_argument("--part1", default=run_data.PART1)
    f.add_argument("--part2", default=run_data.PART2)
    f.add_argument("--no-eval", action="store_true", help="do not evaluate checkpoints/mymodel.pth")
    f.add_argument("--no-pdf", action="store_true", help="skip LibreOffice even if it is installed")
    sub.add_parser("key", help="print the theory answer key")
    args = p.parse_args(argv)

    if args.cmd == "key":
        print(answer_key.key_text(), end="")
        return 0
    if args.cmd == "template":
        from .template import write_template
        write_template(args.out)
        print("report: wrote", os.path.relpath(args.out))
        return 0

    from . import fill, render
    if not os.path.isfile(args.template):
        raise SystemExit("report: %s not found; regenerate it with `python -m tools.report "
                         "template`" % args.template)
    acc = None
    if not args.no_eval:
        from . import mymodel_eval
        acc = mymodel_eval.evaluate_cached(args.part2, args.out_dir)
    out = os.path.join(args.out_dir, "reference_report.pptx")
    fill.write_report(args.template, out, part1=args.part1, part2=args.part2, mymodel_accuracy=acc)
    print("report: wrote", os.path.relpath(out))
    key = os.path.join(args.out_dir, "answer_key.txt")
    write_text(key, answer_key.key_text())
    print("report: wrote", os.path.relpath(key))
    if not args.no_pdf:
        pdf = render.to_pdf(out, args.out_dir)
        if pdf:
            print("report: wrote", os.path.relpath(pdf))
            pngs = render.to_pngs(pdf, os.path.join(args.out_dir, "slides"))
            if pngs:
                print("report: wrote %d slide PNGs in %s" % (len(pngs), os.path.relpath(os.path.dirname(pngs[0]))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
