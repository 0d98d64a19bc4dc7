"""oai's handwritten core: everything that is not specific to one endpoint.

Generated code imports from here; nothing here imports generated code.
"""
