"""The lineage of a concern, as pure functions shared by the build and the queries.

* :mod:`.words` -- the tokeniser and stemmer, TF-IDF vectors and a BM25 index;
* :mod:`.status` -- what a finding's words say about an earlier concern (persisting,
  improving, resolved) and the words that decided it;
* :mod:`.phrase` -- a researcher's phrase: its words, its quoted phrases, its themes;
* :mod:`.relevance` -- how relevant each item is to a phrase, over an :mod:`.index` of
  the authority's items;
* :mod:`.chain` -- per document in date order, the items of one concern's chain.

The links step (:mod:`ofsted_kg.graph_builder.links`) and ``trace``
(:mod:`ofsted_kg.queries.trace`) both use these, so they cannot disagree on what a word
or a status means.  Nothing here reads a store.
"""
