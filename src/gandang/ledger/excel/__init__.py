"""The ledger's Excel round trip: read an office's .xlsx ledger, write one back.

reader      refuses bad files before openpyxl opens them, then streams the ledger table
columns     the headings offices use for each column, and readers for their cells
importer    `parse_ledger`: rows understood, problems, unknown names; writes nothing
matching    pairs rows with the plan's items and says what would change
result      what a parse found (`ImportResult`, `ParsedRow`, `Problem`)
commit      the bulk writes behind `services.ledger_import`
exporter    .xlsx with the columns the importer reads, and JSON
uploads     uploaded files kept between preview and confirmation
forms       the upload and confirmation forms
"""
