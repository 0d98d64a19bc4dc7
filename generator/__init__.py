"""The oai SDK generator.

Stages, one module each, run in this order by :mod:`generator.pipeline`:

``loader``      load spec/openapi.yaml + spec/sdk.yaml and validate them
``preprocess``  repair the spec dict for datamodel-codegen
``models``      response models through datamodel-codegen (returns the names it defined)
``parser``      spec -> intermediate representation (:mod:`generator.ir`)
``params``      request TypedDicts (our own schema -> type renderer)
``plan``        IR -> views: imports, signatures, docstring lines, the core call of each method
``render``      views -> source text through the Jinja2 templates (shapes in ``templates/_macros.jinja``)
``writer``      atomic write, stale-file removal, ruff

``sync`` (``python -m generator sync-spec``) is separate: it derives
spec/openapi.yaml from the upstream spec and spec/descriptions.yaml.
"""
