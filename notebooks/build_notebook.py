"""Writes notebooks/plan_analysis.ipynb (run: python notebooks/build_notebook.py); outputs are not stored."""
from pathlib import Path

import nbformat as nbf

cells = [
    nbf.v4.new_markdown_cell(
        "# What do the plans commit to, and how do targets move?\n\n"
        "A worked analysis on the bundled corpus: extract every plan, look at the numeric targets, compare the "
        "2022 Changzhou plan with a next-year draft, and chart how targets moved. Run top to bottom."),
    nbf.v4.new_code_cell(
        "from pathlib import Path\n"
        "import matplotlib.pyplot as plt\n"
        "import pandas as pd\n"
        "from pipeline import extract, compare\n\n"
        "ROOT = Path.cwd().parent if Path.cwd().name == 'notebooks' else Path.cwd()\n"
        "plt.rcParams['font.sans-serif'] = ['WenQuanYi Micro Hei', 'Noto Sans CJK SC', 'Microsoft YaHei', 'DejaVu Sans']\n"
        "tables = extract(ROOT / 'corpus')\n"
        "tables['documents'][['doc_id', 'title', 'issuer', 'year', 'n_items', 'status']]"),
    nbf.v4.new_markdown_cell("## The targets table\n\nEvery quantity with what it counts, joined to its item's heading."),
    nbf.v4.new_code_cell(
        "items = tables['items'][['doc_id', 'item_id', 'heading', 'lead_departments']]\n"
        "targets = tables['quantities'].merge(items, on=['doc_id', 'item_id'])\n"
        "targets[['doc_id', 'item_id', 'heading', 'subject', 'value', 'unit', 'qualifier', 'lead_departments']].head(15)"),
    nbf.v4.new_code_cell(
        "per_doc = targets.groupby('doc_id').size().sort_values()\n"
        "ax = per_doc.plot.barh(figsize=(7, 3), color='#1e3a8a', title='Quantified targets per plan')\n"
        "ax.set_xlabel('targets'); plt.tight_layout()"),
    nbf.v4.new_markdown_cell("## Who leads what\n\nLead departments by number of items they lead (seed plan)."),
    nbf.v4.new_code_cell(
        "deps = tables['departments']\n"
        "deps[(deps.doc_id == 'changzhou_edu_2022') & (deps.role == 'lead')].department.value_counts().head(10)"),
    nbf.v4.new_markdown_cell(
        "## A comparison across years\n\nThe 2022 plan against a next-year draft (`tests/data/compare`): which items "
        "carried over, changed, appeared or disappeared, and how each target moved."),
    nbf.v4.new_code_cell(
        "cmp = compare(ROOT / 'corpus' / 'changzhou_edu_2022.txt',\n"
        "              ROOT / 'tests' / 'data' / 'compare' / 'changzhou_edu_2023_draft.txt',\n"
        "              ROOT / 'tests' / 'data' / 'compare' / 'changzhou_edu_2024_variant.txt')\n"
        "cmp['alignment'].groupby(['new_doc', 'status']).size().unstack(fill_value=0)"),
    nbf.v4.new_code_cell("cmp['target_changes'][['new_doc', 'subject', 'unit', 'old_value', 'new_value', 'change']]"),
    nbf.v4.new_code_cell(
        "traj = cmp['trajectories']\n"
        "moving = traj.groupby('target_id').value.nunique().loc[lambda s: s > 1].index\n"
        "wide = traj[traj.target_id.isin(moving)].pivot_table(index='year', columns='subject', values='value')\n"
        "ax = wide.plot(marker='o', figsize=(8, 4), title='Targets that moved, by plan year')\n"
        "ax.set_xticks(wide.index); plt.tight_layout()\n"
        "wide"),
]
nb = nbf.v4.new_notebook(cells=cells, metadata={"kernelspec": {"name": "python3", "display_name": "Python 3",
                                                                "language": "python"}})
nbf.write(nb, Path(__file__).with_name("plan_analysis.ipynb"))
