"""What the bot says about scans and photos, Telegram channels and follows (merged into bot.texts)."""

from __future__ import annotations

VI = {
    "stage_ocr": "nhận dạng chữ (OCR), trang",
    "ocr_read": "📷 Đọc bằng nhận dạng chữ (OCR): {pages} trang, độ tin cậy trung bình {confidence:.0f}%",
    "ocr_doubtful": "⚠️ Trang đọc kém, nên kiểm tra hoặc quét lại rõ hơn: {pages}",
    "ocr_quote": "🔍 Văn bản nhận dạng từ ảnh quét (OCR), có thể sai vài chữ",
    "photo_name": "ảnh",
    "reason_ocr_missing": "máy chủ chưa cài Tesseract nên không đọc được chữ trong ảnh",
    "reason_image_huge": "ảnh quá lớn ({width}×{height} điểm ảnh)",
    "reason_image_corrupt": "không đọc được tệp ảnh (hỏng hoặc không phải JPEG/PNG)",
    "reason_ocr_pages": "bản quét có {count} trang không có lớp chữ, quá giới hạn {limit} trang; hãy chia nhỏ tệp",
    "reason_ocr_failed": "không nhận dạng được chữ ({reason})",
    "reason_ocr_nothing": "không nhận ra chữ nào trong ảnh; hãy gửi ảnh chụp hoặc bản quét văn bản rõ nét, đủ sáng",
    "reason_ocr_blurred": "ảnh quét quá mờ, không đọc chắc chắn được (độ tin cậy {confidence}); hãy quét lại rõ hơn",
    "ocr_unread": "⚠️ Bỏ qua các trang không đọc được (quá mờ hoặc quá thời gian): {pages}",
}

EN = {
    "stage_ocr": "reading text in the scan (OCR), page",
    "ocr_read": "📷 Read by text recognition (OCR): {pages} page(s), mean confidence {confidence:.0f}%",
    "ocr_doubtful": "⚠️ Pages read poorly, worth checking or scanning again more sharply: {pages}",
    "ocr_quote": "🔍 Text recognised in a scan (OCR): a few words may be misread",
    "photo_name": "photo",
    "reason_ocr_missing": "Tesseract is not installed on the server, so text in images cannot be read",
    "reason_image_huge": "the image is too large ({width}×{height} pixels)",
    "reason_image_corrupt": "not a readable image (damaged, or not JPEG/PNG)",
    "reason_ocr_pages": "the scan has {count} pages without text, more than the limit of {limit}: split the file",
    "reason_ocr_failed": "the text could not be recognised ({reason})",
    "reason_ocr_nothing": "no text found in the image: send a sharp, well-lit photo or scan of a document",
    "reason_ocr_blurred": "the scan is too blurred to read reliably (confidence {confidence}): scan it again sharper",
    "ocr_unread": "⚠️ Pages left out, they could not be read (too blurred, or out of time): {pages}",
}
