"""The entity graph: gangs from reports, money traced downstream, mule features.

Modules: ``records`` (validation), ``entity_graph`` and ``store_source``
(incremental graph), ``incidence``, ``gangs`` and ``gang_report`` (gang
discovery), ``simulator`` (reports with ground truth), ``trace`` (fund tracing),
``flow_features``, ``amlsim`` and ``money_eval`` (mule scoring), ``service``
(file-level entry points). See ``docs/graph.md``.
"""
