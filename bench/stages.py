"""Where a document's build time goes: CPU time of each stage, per document.

    python bench/stages.py [--every 1]

Runs every corpus PDF -- full inspections and focused-visit letters -- (every --every-th) through the worker's stages in this process and
prints the mean CPU time (so other load on the machine does not count) of: reading the
text (pypdfium2: the floor's work), normalising, the core fields, concerns, findings,
theme tagging (with the self-audit) and N-Triples -- each the CPU time of this thread (``time.thread_time``) --
plus the parent's write of the graph into a fresh on-disk store (batched journalled bulk loads,
as the build does): the whole process's CPU time (``time.process_time``,
taken over the run and the store's final flush) less the stages', so it includes the
work RocksDB's background threads do for the writes, while the other stages run.
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from pathlib import Path

from _common import corpus_all_pdfs, machine


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--every", type=int, default=1)
    args = ap.parse_args()

    from ofsted_kg.graph_builder import core, items, themes
    from ofsted_kg.graph_builder.audit import audit
    from ofsted_kg.graph_builder.normalise import prepare
    from ofsted_kg.graph_builder.rdf import record_ntriples, report_iri
    from ofsted_kg.graph_builder.read import read_document
    from ofsted_kg.graph_builder.records import DocumentRecord, Source
    from ofsted_kg.store import open_store, report_graph

    print(machine())
    files = corpus_all_pdfs()[::args.every]
    names = ["read", "prepare", "core", "concerns", "findings", "themes", "ntriples",
             "store write"]
    cpu = dict.fromkeys(names, 0.0)
    pt = time.thread_time
    tmp = Path(tempfile.mkdtemp(prefix="okg-stages-"))
    p0 = time.process_time()
    st = open_store(tmp / "store")
    triples = pages = 0
    try:
        for f in files:
            t = pt()
            raw = read_document(f)
            cpu["read"] += pt() - t
            t = pt()
            doc = prepare(raw)
            cpu["prepare"] += pt() - t
            rec = DocumentRecord(source=Source(file=raw.path, sha256=raw.sha256,
                                               pages=len(raw.pages)),
                                 authority=None, document_type="other")
            t = pt()
            core.extract_core(doc, rec)
            cpu["core"] += pt() - t
            t = pt()
            rec.concerns = items.extract_concerns(doc, rec)
            cpu["concerns"] += pt() - t
            t = pt()
            rec.findings = items.extract_findings(doc, rec)
            cpu["findings"] += pt() - t
            for i, c in enumerate(rec.concerns, 1):
                c.position = i
            for i, x in enumerate(rec.findings, 1):
                x.position = i
            t = pt()
            themes.tag_record(rec)
            rec.audit = audit(rec)
            cpu["themes"] += pt() - t
            t = pt()
            nt = record_ntriples(rec)
            cpu["ntriples"] += pt() - t
            st.replace_graphs(report_graph(rec.source.sha256), nt,
                              manifest={report_iri(rec.source.sha256): f}, batch=True)
            triples += nt.count("\n")
            pages += len(raw.pages)
    finally:
        st.close()
        shutil.rmtree(tmp, ignore_errors=True)
    worker = sum(v for k, v in cpu.items() if k != "store write")
    cpu["store write"] = time.process_time() - p0 - worker
    n = len(files)
    print(f"{n} PDFs, {pages} pages, {triples} triples ({triples / n:.0f} per document)")
    for k in names:
        print(f"  {k:12} {1000 * cpu[k] / n:7.1f} ms/document CPU")
    print(f"  worker total {1000 * worker / n:7.1f} ms/document (read = "
          f"{100 * cpu['read'] / worker:.0f}%); parent write {1000 * cpu['store write'] / n:.1f} "
          f"ms/document")


if __name__ == "__main__":
    main()
