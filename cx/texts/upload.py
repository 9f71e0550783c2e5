"""Texts of the Upload page."""

TEXTS = {
    "up.title": {"zh": "上传问卷导出", "en": "Upload survey exports"},
    "up.intro": {
        "zh": "支持 CSV（UTF-8、GB18030/GBK、UTF-16；逗号、分号、制表符）和电子表格（.xlsx，第一张表）。"
        "写入前先检查；有问题的行会被保留并说明原因，任何上传都可以撤销。",
        "en": "CSV (UTF-8, GB18030/GBK, UTF-16; comma, semicolon or tab) and Excel (.xlsx, first"
        " sheet). Everything is checked before anything is written; bad rows are kept with"
        " a reason, and any upload can be undone.",
    },
    "up.template": {"zh": "下载模板", "en": "Download a template"},
    "up.template_en": {"zh": "英文表头模板", "en": "Template, English headers"},
    "up.template_zh": {"zh": "中文表头模板", "en": "Template, Chinese headers"},
    # Streamlit's drop box speaks English only; cx.ui.uploader draws its button and its
    # limit line in the reader's language from these
    "up.box.button": {"zh": "上传", "en": "Upload"},
    "up.box.limit": {
        "zh": "每个文件最大 {mb} MB · {types}",
        "en": "Up to {mb} MB a file · {types}",
    },
    "up.pick": {
        "zh": "选择导出文件：拖到下面的框里，或点击其中的“上传”按钮"
        "（CSV、TXT、TSV 或 XLSX，每个文件最大 {mb} MB）",
        "en": "Choose an export: drop it on the box below, or click its Upload button"
        " (CSV, TXT, TSV or XLSX, up to {mb} MB a file)",
    },
    "up.unusable": {"zh": "无法使用这个文件：{reason}", "en": "This file cannot be used: {reason}"},
    "up.detected": {
        "zh": "编码 **{encoding}** · 分隔符 **{delimiter}** · {columns} 列 · {size}",
        "en": "Encoding **{encoding}** · delimiter **{delimiter}** · {columns} column{columns:s}"
        " · {size}",
    },
    "up.detected_xlsx": {
        "zh": "电子表格（.xlsx，只读第一张表的值）· {columns} 列 · {size}",
        "en": "Excel workbook (.xlsx, values of the first sheet) · {columns} column{columns:s}"
        " · {size}",
    },
    "up.title_lines": {
        "zh": "表头在第 {line} 行：上面的标题或分组行不是答卷，未读取。",
        "en": "The header row is line {line}: the title or group rows above it are not"
        " answers and were not read.",
    },
    # kept by an earlier commit of a file with this header (the box to keep it is ticked by
    # default): "saved" read as if the analyst had saved one, who had not
    "up.saved_mapping": {
        "zh": "已套用之前上传同样表头的文件时留下的列对应关系，可在下方修改。",
        "en": "The column mapping kept from an earlier upload with this header row was"
        " applied; change it below if needed.",
    },
    "up.mapping": {"zh": "列对应关系", "en": "Column mapping"},
    "up.mapping_help": {
        "zh": "每个表头对应到标准列；“忽略”表示不导入。未识别或有歧义的列请手动选择。",
        "en": "Each header feeds a canonical column; 'ignore' leaves it out. Pick unmatched"
        " or ambiguous columns by hand.",
    },
    "up.ignore": {"zh": "（忽略）", "en": "(ignore)"},
    "up.how.exact": {"zh": "标准列名", "en": "canonical name"},
    "up.how.alias": {"zh": "别名", "en": "alias"},
    "up.how.keyword": {"zh": "关键词", "en": "keyword"},
    "up.how.saved": {"zh": "已保存", "en": "saved"},
    "up.how.manual": {"zh": "手动", "en": "by hand"},
    "up.how.none": {"zh": "未识别", "en": "not matched"},
    "up.how.doubled": {"zh": "也是{col}，未读取", "en": "also {col}, not read"},
    "up.ambiguous": {
        "zh": "有歧义：{col} 可能来自 {headers}，请手动指定。",
        "en": "Ambiguous: {col} could come from {headers}; pick one by hand.",
    },
    "up.doubled": {
        "zh": "{headers} 都是 {col}：读的是最左边的“{first}”。若应读另一列，请在下面改选。",
        "en": "{headers} each name {col}: the leftmost, {first}, is read. If it should be"
        " another, pick it below.",
    },
    "up.missing": {
        "zh": "还缺必需的列：{cols}。请在上面的列对应中为它们各选一个表头。",
        "en": "Required columns still missing: {cols}. Map a header to each in the column"
        " mapping above.",
    },
    # the workbook's first sheet lacks them and it has other sheets: which is read and
    # what to do ({sheets}: cx.ingest.other_sheets, the command line's sentence)
    "up.missing_sheets": {
        "zh": "还缺必需的列：{cols}。{sheets}",
        "en": "Required columns still missing: {cols}. {sheets}",
    },
    "up.duplicate_col": {
        "zh": "{col} 被多个表头选中，请只保留一个。",
        "en": "{col} is picked for more than one header; keep one.",
    },
    "up.save_mapping": {
        "zh": "为同样表头的下次导出保存此对应关系",
        "en": "Save this mapping for the next export with the same headers",
    },
    "up.preview": {"zh": "预览（写入前）", "en": "Preview (nothing written yet)"},
    "up.written": {"zh": "已写入", "en": "Written"},
    "up.preview_rows": {
        "zh": "按写入的样子（前 {k} 行；电话、姓名、车牌已脱敏）：",
        "en": "As written (the first {k} row{k:s}; phones, names and plates masked):",
    },
    "up.commit_rejects": {
        "zh": "不写入任何行，只记录被拒绝的行",
        "en": "Write no rows; keep the rejects on record",
    },
    "up.no_preview": {
        "zh": "没有可写入的行：每一行都被拒绝或忽略。",
        "en": "No row to write: every row is rejected or ignored.",
    },
    "up.count.read": {"zh": "读取行", "en": "Rows read"},
    "up.count.add": {"zh": "将新增", "en": "To add"},
    "up.count.replace": {"zh": "将替换", "en": "To replace"},
    # short: six counts share a laptop's row ("未变（已存在且相…" was cut)
    "up.count.same": {"zh": "未变", "en": "Unchanged"},
    "up.count.same_help": {
        "zh": "这些答卷已在数据中且内容相同：不会再写入。",
        "en": "These answers are stored already, the same: nothing of them is written again.",
    },
    "up.count.reject": {"zh": "将拒绝", "en": "To reject"},
    # short: six counts share a laptop's row ("Ignored (blank/totals/he…" was cut)
    "up.count.ignored": {"zh": "忽略", "en": "Ignored"},
    "up.count.ignored_help": {
        # what the count holds: the reader skips an empty line before any row is made,
        # so it counts nowhere (a file of two empty lines and one ',,,' row read 1 here,
        # below a help that named empty lines among what it counts)
        "zh": "合计或平均行、各格皆空的行（如 ,,,）和重复的表头行：不是答卷，既不写入也不算"
        "拒绝。完全空白的行直接跳过，不计入任何数字。",
        "en": "Totals or averages, rows whose every cell is empty (,,,) and the header"
        " repeated: not answers, neither written nor rejected. Empty lines are skipped and"
        " counted nowhere.",
    },
    # notes on an upload, on the Upload page and the command line (cx.ingest.Result.notes)
    # columns of values that feed nothing, above the counts (a column of csat values under
    # an unknown header went in as nothing, said only in the folded mapping)
    "up.unmatched": {
        "zh": "这些列没有对应到标准列，不会导入：{columns}。如需导入，请在上面的列对应中为它选择。",
        "en": "These columns match no standard column and are not imported: {columns}. To"
        " import one, pick its column in the mapping above.",
    },
    "ingest.note.kept": {
        # {n}: the file's answers already stored, replaced or unchanged ('the 5 answers it
        # replaces' beside 'replaced 1, unchanged 4')
        "zh": "文件没有 {columns} 列：文件中已存在的 {n} 份答卷在这些列保留原有的值（空单元格才会清空一列）。",
        "en": "The file has no {columns} column: the {n} answer{n:s} of it already stored keep"
        " their stored values there (an empty cell empties one).",
    },
    "ingest.note.new_stores": {
        "zh": "数据里没有过的门店：{stores}。门店编号是否写错？",
        "en": "Stores new to the data: {stores}. Are the store codes right?",
    },
    # right after the new code it is about
    "ingest.note.alike": {
        "zh": "（像已有的 {old}：同名，或编号只差大小写）",
        "en": " (looks like {old}: the same name, or the same code in another case)",
    },
    # reassuring: on a regional export nearly always other exports' answers of the same
    # stores and days (it invited undoing the upload that had brought them)
    "ingest.note.left_out": {
        "zh": "文件中的门店和日期另有 {n} 份已存的答卷不在这个文件里（来自其他导出或更早的上传），"
        "它们照常保留：上传只新增和替换，不删除任何答卷。只有这个文件本应取代它们时，"
        "才需要撤销带来它们的上传。",
        "en": "{n} stored answer{n:s} of the file's stores and days, not in this file (other"
        " exports' or earlier uploads'), stay as they are: an upload adds and replaces, it"
        " removes nothing. Only if this file was meant to replace them, undo the upload"
        " that brought them.",
    },
    "ingest.note.repeats_rejected": {
        "zh": "有 {n} 行被拒的行与将写入的行问卷编号相同：写入的是通过检查的那一行。"
        "若被拒的行才是更正，请改好后重新上传。",
        "en": "Rejected rows with the response_id of a row that is written: {n}. The row that"
        " passes the checks is the one written; if a rejected one is the correction, fix it"
        " and upload it again.",
    },
    "up.moved": {
        "zh": "有 {n} 行将替换其他门店（{stores}）已有的同编号答卷：答卷编号列是否选成了问卷工具的"
        "序号（每份导出都从 1 开始）？请检查列对应；确需改门店再提交。",
        "en": "{n} row{n:s} would replace answers another store ({stores}) already has under the"
        " same id: is the id column a survey tool's row number (each export starts at 1)?"
        " Check the mapping; commit only if these answers really move store.",
    },
    "up.reverts": {
        "zh": "有 {n} 行会把答卷改回上传 {uploads} 更正之前的样子：这是不是一份较早的导出？"
        "若是，请不要提交，否则那些更正会丢失。",
        "en": "{n} row{n:s} would put answers back as they were before upload {uploads}"
        " corrected them: is this an older export? If so, do not commit, or those"
        " corrections are lost.",
    },
    # what is kept: the last row of an id that passes the checks ("the last one wins"
    # was untrue when the last was rejected: the earlier, valid row was written)
    "up.collapsed": {
        "zh": "文件内有 {n} 行重复的问卷编号，已合并：每个编号保留通过检查的最后一行"
        "（被拒的行不会替换它前面的行）。",
        "en": "Rows repeating a response_id within the file: {n}; of each id the last row"
        " that passes the checks is kept (a rejected row replaces no row before it).",
    },
    "up.first_rejects": {"zh": "前几条被拒行及原因", "en": "First rejected rows and why"},
    "up.rejects_dl": {"zh": "下载全部被拒行（CSV）", "en": "Download all rejected rows (CSV)"},
    "up.rejects_help": {
        "zh": "每行的行号、原因和原始内容；手机号和姓名已打码：请在原始导出文件中改好这些行后重新上传。",
        "en": "Each row's line, reason and raw content; phones and names are masked: fix"
        " these rows in your original export and upload it again.",
    },
    "up.rejects_listed": {
        "zh": "列出前 {k} 行，共 {n} 行被拒；下载包含全部。",
        "en": "The first {k} of {n} rejected rows are listed; the download holds all of them.",
    },
    "up.same_file": {
        "zh": "这个文件与上传 #{id} 完全相同，提交不会改变任何数据。",
        "en": "This file is identical to upload #{id}; committing changes nothing.",
    },
    "up.read_again": {
        "zh": "这个文件与上传 #{id} 相同；那次有被拒的行，所以按现在的规则重新检查：已存在的行不会重复写入。",
        "en": "This file is the one of upload #{id}, which rejected rows, so it is checked"
        " again under today's rules; rows already there are not written twice.",
    },
    "up.written_pick_next": {
        "zh": "这个文件已写入为上传 #{id}。要上传下一个文件，请在上方选择。",
        "en": "This file was written as upload #{id}. Pick the next file above.",
    },
    "up.nothing_new_rejects_kept": {
        "zh": "所有通过检查的行都已存在且内容相同，被拒的行也已记录：提交不会改变任何数据。",
        "en": "Every row that passes is already there unchanged, and its rejected rows are"
        " on record already: committing changes nothing.",
    },
    "up.nothing_new": {
        "zh": "所有行都已存在且内容相同，提交不会改变任何数据。",
        "en": "Every row is already there unchanged; committing changes nothing.",
    },
    "up.commit": {"zh": "确认写入数据库", "en": "Commit to the database"},
    "up.progress": {"zh": "正在写入：{stage}", "en": "Writing: {stage}"},
    "up.done": {
        "zh": "上传 #{id} 已写入：读取 {read} 行，新增 {added}，替换 {replaced}，拒绝 {rejected}{more}。",
        "en": "Upload #{id} committed: {read} rows read, {added} added, {replaced} replaced,"
        " {rejected} rejected{more}.",
    },
    # the rest of the rows read, when there are any (the counts then add up to those read)
    "up.done.unchanged": {"zh": "，未变 {n}", "en": ", {n} already there unchanged"},
    "up.done.collapsed": {
        "zh": "，重复编号合并 {n}（保留通过检查的最后一行）",
        "en": ", {n} repeating a response_id merged (the last that passes the checks kept)",
    },
    "up.done.ignored": {
        "zh": "；另有 {n} 行合计、平均、各格皆空或重复表头的行未计入",
        "en": "; {n} totals, averages, empty-celled or repeated-header row{n:s} left out",
    },
    "up.done_nothing": {"zh": "没有变化，未写入。", "en": "Nothing changed; nothing written."},
    # the preview was older than the data (a colleague's upload or undo meanwhile): its
    # commit would have done something else, such as put back corrected answers
    "up.changed_since_preview": {
        "zh": "未写入：预览之后数据库已有变化（他人上传或撤销），提交的结果会与预览不同。"
        "下面是按现在的数据重新生成的预览，请核对后再确认写入。",
        "en": "Nothing written: the data changed after this preview (someone's upload or"
        " undo), so the commit would not do what it showed. The preview below is made"
        " again from the data as it is now: check it, then commit again.",
    },
    "up.history": {"zh": "上传历史", "en": "Upload history"},
    "up.undo": {"zh": "撤销 #{id}", "en": "Undo #{id}"},
    "up.undo_older": {
        "zh": "这里为最新的 {n} 个生效中的上传提供撤销按钮；更早的（{ids}）请在命令行撤销："
        "python -m cx undo 编号。",
        "en": "Undo buttons are offered for the {n} newest uploads in effect; an older one"
        " ({ids}) is undone on the command line: python -m cx undo ID.",
    },
    "up.undone": {
        "zh": "上传 #{id} 已撤销：它新增的 {added} 行已移除，替换的 {restored} 行已恢复原样。",
        "en": "Upload #{id} undone: the rows it added were removed ({added}) and the rows it"
        " replaced are back ({restored}).",
    },
    "up.undone.callbacks": {
        "zh": "它移到其他门店的答卷此后做的 {n} 条回访随其删除，原门店的回访已恢复。",
        "en": "{n} callback{n:s} made since on the answers it had moved to another store went"
        " with them; the original store's callbacks are back.",
    },
    "up.undo_refused": {"zh": "不能撤销：{reason}", "en": "Cannot undo: {reason}"},
    "up.undo_confirm": {
        "zh": "确定撤销上传 #{id} 吗？它新增的 {added} 行将被移除，替换的 {replaced} 行将恢复原样。",
        "en": "Undo upload #{id}? The rows it added are removed ({added}) and the rows it"
        " replaced come back ({replaced}).",
    },
    "up.undo_yes": {"zh": "确定撤销 #{id}", "en": "Yes, undo #{id}"},
    "up.cancel": {"zh": "取消", "en": "Cancel"},
    "up.demo_title": {"zh": "用自己的数据开始", "en": "Start on your own data"},
    "up.demo_help": {
        "zh": "数据库里还有 {n} 条演示答卷，它们与真实门店可能使用相同的门店编号。"
        "移除后只保留上传的数据；新部署可设置 CX_START_EMPTY=1 从空数据库开始。",
        "en": "The database still holds {n} demo answers, which may share store ids with"
        " real stores. Removing them keeps only uploaded data; a new installation can"
        " start empty with CX_START_EMPTY=1.",
    },
    "up.demo_remove": {"zh": "移除演示数据", "en": "Remove the demo data"},
    "up.demo_confirm": {
        "zh": "确定移除全部 {n} 条演示答卷及其回访、目标和不再有答卷的门店吗？此操作不能撤销。",
        "en": "Remove all {n} demo answers with their callbacks, targets and the stores no"
        " answer refers to any more? This cannot be undone.",
    },
    "up.demo_yes": {"zh": "确定移除演示数据", "en": "Yes, remove the demo data"},
    "up.demo_removed": {
        "zh": "演示数据已移除：{n} 条答卷，{stores} 家门店。",
        "en": "Demo data removed: {n} answers, {stores} stores.",
    },
    "up.hist_pick": {"zh": "查看某次上传的被拒行", "en": "Rejected rows of an upload"},
    "up.no_uploads": {"zh": "还没有上传。", "en": "No uploads yet."},
    "up.source.app": {"zh": "上传页", "en": "Upload page"},
    "up.source.cli": {"zh": "命令行", "en": "command line"},
    "up.source.demo": {"zh": "演示", "en": "demo"},
    "up.source.demo_file": {"zh": "演示数据", "en": "demo data"},
    "up.status.committed": {"zh": "生效中", "en": "in effect"},
    "up.status.undone": {"zh": "已撤销", "en": "undone"},
    "up.stage.inspect": {"zh": "读取文件", "en": "reading the file"},
    "up.stage.parse": {"zh": "解析", "en": "parsing"},
    "up.stage.validate": {"zh": "校验", "en": "validating"},
    "up.stage.compare": {"zh": "比对已有数据", "en": "comparing with the database"},
    # counts every row, then names the rejects (none, often): not "explaining rejects"
    "up.stage.explain": {"zh": "清点各行与被拒行", "en": "counting the rows and any rejects"},
    "up.stage.write": {"zh": "写入", "en": "writing"},
    "up.stage.rollups": {"zh": "更新汇总", "en": "refreshing rollups"},
    "up.stage.done": {"zh": "完成", "en": "done"},
}
