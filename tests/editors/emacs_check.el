;;; emacs_check.el --- drive eglot against dl-lsp, batch mode  -*- lexical-binding: t -*-
;; Configured by the docs/editors.md block (loaded from DL_LSP_EMACS_CONFIG): open the buggy file,
;; wait for flymake diagnostics, apply the LLM quick fix through eglot-code-actions and
;; eglot--apply-workspace-edit, wait for the diagnostic to go away. Writes JSON to DL_LSP_EMACS_OUT.
(require 'json)
(require 'cl-lib)
(require 'python)
(setq flymake-no-changes-timeout 0.1
      eglot-sync-connect 10
      eglot-autoshutdown t
      python-indent-guess-indent-offset nil)

(defvar dl-check-result (list))

(defun dl-check-finish (ok why)
  (push (cons 'ok (if ok t :json-false)) dl-check-result)
  (push (cons 'why (or why "")) dl-check-result)
  (with-temp-file (getenv "DL_LSP_EMACS_OUT")
    (insert (json-encode dl-check-result)))
  (kill-emacs (if ok 0 1)))

(defun dl-check-wait (predicate seconds)
  "Pump events until PREDICATE holds or SECONDS pass; whether it held."
  (let ((deadline (+ (float-time) seconds)) (held nil))
    (while (and (not (setq held (funcall predicate))) (< (float-time) deadline))
      (accept-process-output nil 0.05)
      ;; Batch Emacs never goes idle, so eglot's idle timer would never send the didChange:
      ;; do what it does.
      (when (and (bound-and-true-p eglot--managed-mode) eglot--recent-changes)
        (eglot--signal-textDocument/didChange))
      (when (and (bound-and-true-p flymake-mode) (fboundp 'flymake-start))
        (flymake-start)))
    held))

(defun dl-check-diag (code)
  (cl-find-if (lambda (d)
                (let ((lsp (cdr (assoc 'eglot-lsp-diag (eglot--diag-data d)))))
                  (equal (plist-get lsp :code) code)))
              (flymake-diagnostics)))

(defun dl-check-codes ()
  (sort (delete-dups
         (mapcar (lambda (d)
                   (plist-get (cdr (assoc 'eglot-lsp-diag (eglot--diag-data d))) :code))
                 (flymake-diagnostics)))
        #'string<))

(condition-case err
    (progn
      (load (getenv "DL_LSP_EMACS_CONFIG") nil t)   ; the docs block
      (find-file (getenv "DL_LSP_EMACS_FILE"))
      (run-hooks 'post-command-hook)                ; eglot-ensure connects here
      (unless (dl-check-wait (lambda () (eglot-current-server)) 20)
        (dl-check-finish nil "eglot did not connect"))
      (unless (dl-check-wait (lambda () (dl-check-diag "LLM")) 20)
        (dl-check-finish nil (format "no LLM diagnostic: %S" (dl-check-codes))))
      (push (cons 'initial_codes (vconcat (dl-check-codes))) dl-check-result)
      (let* ((diag (dl-check-diag "LLM"))
             (beg (flymake-diagnostic-beg diag))
             (end (flymake-diagnostic-end diag))
             (actions (eglot-code-actions beg end "quickfix"))
             (chosen (cl-find-if (lambda (a) (plist-get a :isPreferred)) actions)))
        (push (cons 'llm_text (buffer-substring-no-properties beg end)) dl-check-result)
        (push (cons 'titles (vconcat (mapcar (lambda (a) (plist-get a :title)) actions)))
              dl-check-result)
        (unless chosen (dl-check-finish nil "no preferred quick fix"))
        (eglot--apply-workspace-edit (plist-get chosen :edit))
        (push (cons 'fixed_line
                    (save-excursion (goto-char beg)
                                    (buffer-substring-no-properties (line-beginning-position)
                                                                    (line-end-position))))
              dl-check-result))
      (unless (dl-check-wait (lambda () (and (not (dl-check-diag "LLM")) (dl-check-diag "LOB"))) 20)
        (dl-check-finish nil (format "LLM still reported: %S" (dl-check-codes))))
      (push (cons 'final_codes (vconcat (dl-check-codes))) dl-check-result)
      (set-buffer-modified-p nil)
      (dl-check-finish t nil))
  (error (dl-check-finish nil (format "%S" err))))
