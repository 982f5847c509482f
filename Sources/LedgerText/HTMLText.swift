import CLibXML2
import LedgerCore

/// libxml2 is initialised once per process, before any parse (its parser is thread-safe after).
private let libxml2Ready: Void = { xmlInitParser() }()

extension TextExtraction {
    /// The paragraphs of an HTML page: libxml2's recovering parser (no network, no error
    /// output), then one walk from the page's main content (`<main>`, else `<article>`, else an
    /// element with `role="main"`, else `<body>`), leaving out `skipped` elements.
    static func htmlParagraphs(_ content: [UInt8], charset: String?) throws -> [String] {
        guard content.count <= ArchivedDocument.maxContentBytes, let length = Int32(exactly: content.count) else {
            throw TextError.tooLarge(bytes: content.count)
        }
        _ = libxml2Ready
        let options = Int32(HTML_PARSE_RECOVER.rawValue | HTML_PARSE_NOERROR.rawValue | HTML_PARSE_NOWARNING.rawValue | HTML_PARSE_NONET.rawValue)
        let document: htmlDocPtr? = content.withUnsafeBufferPointer { buffer in
            buffer.baseAddress.flatMap { base in
                base.withMemoryRebound(to: CChar.self, capacity: buffer.count) { htmlReadMemory($0, length, nil, charset, options) }
            }
        }
        guard let document else { throw TextError.undecodable("libxml2 could not read it as HTML") }
        defer { xmlFreeDoc(document) }
        guard let root = xmlDocGetRootElement(document) else { throw TextError.noText }
        var walk = Walk()
        walk.visit(mainContent(root) ?? root)
        walk.endParagraph()
        return walk.paragraphs
    }

    /// The first element, in document order, that holds the page's main content.
    static func mainContent(_ root: xmlNodePtr) -> xmlNodePtr? {
        for test in [{ (n: xmlNodePtr) in name(n) == "main" }, { name($0) == "article" }, { attribute($0, "role") == "main" }] {
            if let found = first(root, where: test) { return found }
        }
        return nil
    }

    static func first(_ node: xmlNodePtr, where test: (xmlNodePtr) -> Bool) -> xmlNodePtr? {
        var stack = [node]
        while let n = stack.popLast() {
            if n.pointee.type == XML_ELEMENT_NODE {
                if test(n) { return n }
                var children: [xmlNodePtr] = []
                var c = n.pointee.children
                while let child = c { children.append(child); c = child.pointee.next }
                stack.append(contentsOf: children.reversed())
            }
        }
        return nil
    }

    static func name(_ node: xmlNodePtr) -> String {
        node.pointee.name.map { String(cString: $0).lowercased() } ?? ""
    }

    /// True for a `div`, `ul`… that a site uses as navigation, header or footer (`chromeWords`,
    /// `skippedRoles`).
    static func isChrome(_ node: xmlNodePtr) -> Bool {
        if let role = attribute(node, "role"), skippedRoles.contains(role) { return true }
        for key in ["class", "id"] {
            guard let value = attribute(node, key) else { continue }
            if value.split(whereSeparator: { $0 == " " || $0 == "-" || $0 == "_" || $0 == "\t" || $0 == "\n" })
                .contains(where: { chromeWords.contains(String($0)) }) { return true }
        }
        return false
    }

    static func attribute(_ node: xmlNodePtr, _ key: String) -> String? {
        guard let value = xmlGetProp(node, key) else { return nil }
        defer { ledger_xml_free(value) }
        return String(cString: value).lowercased()
    }

    /// Collects text node by node into paragraphs. Iterative, so a deeply nested page cannot
    /// exhaust the stack.
    struct Walk {
        var paragraphs: [String] = []
        var current = ""

        mutating func endParagraph() {
            if !current.isEmpty { paragraphs.append(current) }
            current = ""
        }

        mutating func visit(_ start: xmlNodePtr) {
            // (node, entering): a block element is visited twice, to end a paragraph on each side.
            var stack: [(xmlNodePtr, Bool)] = [(start, true)]
            while let (node, entering) = stack.popLast() {
                switch node.pointee.type {
                case XML_TEXT_NODE, XML_CDATA_SECTION_NODE:
                    if let text = node.pointee.content { current += String(cString: text) }
                case XML_ELEMENT_NODE:
                    let tag = TextExtraction.name(node)
                    if entering, TextExtraction.skipped.contains(tag) || TextExtraction.isChrome(node) { continue }
                    let block = TextExtraction.blocks.contains(tag)
                    guard entering else { if block { endParagraph() }; continue }
                    if block { endParagraph() }
                    stack.append((node, false))
                    var children: [xmlNodePtr] = []
                    var c = node.pointee.children
                    while let child = c { children.append(child); c = child.pointee.next }
                    for child in children.reversed() { stack.append((child, true)) }
                default:
                    continue
                }
            }
        }
    }
}
