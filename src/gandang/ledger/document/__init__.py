"""Issued plans (工作要点, 实施方案, 任务分工方案) read from Word or text PDF into the ledger import.

reader   refuses bad files, then gives the document's paragraphs and tables in order
parser   `parse_plan`: the plan's title and year, its areas and numbered tasks, and where each guess
         came from in the text; pure, no database
sheet    the parsed tasks as the rows of a ledger table, so that the Excel importer reads them with its
         own cell readers (units and aliases, the due-phrase grammar, matching, the all-or-nothing commit)
"""
