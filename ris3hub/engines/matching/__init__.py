"""Search and matchmaking engines: encoders, passages, vector and lexical indexes, hybrid
retrieval, reciprocal recommendations and team formation. Pure Python, no Django.

The names the Django side uses::

    from ris3hub.engines.matching.encoders import Encoder, default_encoder
    from ris3hub.engines.matching.passages import split_passages, PassageStore
    from ris3hub.engines.matching.vector_index import VectorIndex
    from ris3hub.engines.matching.lexical import LexicalIndex
    from ris3hub.engines.matching.retrieval import HybridRetriever, Record, Hit, competence_scores
    from ris3hub.engines.matching.reciprocal import reciprocal_scores
    from ris3hub.engines.matching.teams import form_teams, split_competences
"""
