"""PDF and one PNG per slide, through LibreOffice (optional: skipped when it is not installed).

LibreOffice is a large system package (`apt-get install libreoffice-impress`), so
nothing else depends on it: `make report` still writes the .pptx without it, and
the tests never call it. PNGs need `pdftoppm` (Debian package poppler-utils).
"""
import glob
import os
import shutil
import subprocess
import tempfile

from ..atomic import atomic_path


def find_soffice():
    return shutil.which("soffice") or shutil.which("libreoffice")


def to_pdf(pptx, out_dir, timeout=300):
    """Convert `pptx` to out_dir/<name>.pdf; returns its path, or None with a reason printed."""
    soffice = find_soffice()
    if soffice is None:
        print("report: LibreOffice not found, skipping the PDF "
              "(install it with: apt-get install -y --no-install-recommends libreoffice-impress)")
        return None
    name = os.path.splitext(os.path.basename(pptx))[0] + ".pdf"
    with tempfile.TemporaryDirectory() as work:
        # a private profile: a user's running LibreOffice would otherwise swallow the job
        cmd = [soffice, "-env:UserInstallation=file://" + os.path.join(work, "profile"),
               "--headless", "--convert-to", "pdf", "--outdir", work, pptx]
        try:
            proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
        except subprocess.TimeoutExpired:
            print("report: LibreOffice took over %d s, skipping the PDF" % timeout)
            return None
        made = os.path.join(work, name)
        if proc.returncode != 0 or not os.path.isfile(made):
            print("report: LibreOffice could not convert %s (exit %d): %s"
                  % (pptx, proc.returncode, (proc.stderr or proc.stdout).strip()[-500:]))
            return None
        os.makedirs(out_dir, exist_ok=True)
        dest = os.path.join(out_dir, name)
        with atomic_path(dest) as tmp:
            shutil.move(made, tmp)
    return dest


def to_pngs(pdf, out_dir, dpi=60):
    """One PNG per page of `pdf` as out_dir/slide-NN.png; returns their paths ([] if no pdftoppm)."""
    if shutil.which("pdftoppm") is None:
        print("report: pdftoppm not found, skipping the slide PNGs (apt-get install poppler-utils)")
        return []
    # render into a fresh folder, then swap it in: no stale pages from a longer deck, and
    # no half-written set if pdftoppm fails
    work = out_dir.rstrip(os.sep) + ".tmp"
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    try:
        subprocess.run(["pdftoppm", "-r", str(dpi), "-png", pdf, os.path.join(work, "slide")], check=True)
    except (subprocess.CalledProcessError, OSError) as e:
        shutil.rmtree(work, ignore_errors=True)
        print("report: pdftoppm failed (%s), skipping the slide PNGs" % e)
        return []
    shutil.rmtree(out_dir, ignore_errors=True)
    os.replace(work, out_dir)
    return sorted(glob.glob(os.path.join(out_dir, "slide-*.png")))
