export { createLocalBackend, type LocalBackend, type LocalBackendOptions } from './local-backend.js';
export { loadArticlesFromDir, parseArticle, splitSections, type ArticleSection, type HelpArticle } from './articles.js';
export { ArticleRetriever, type Retrieval, type RetrievedSection, type RetrieverOptions } from './retriever.js';
export { Bm25Index, type Bm25Document, type Bm25Hit, type Bm25Options } from './bm25.js';
export { tokenize } from './tokenizer.js';
export { imageSize, type ImageSize } from './image-size.js';
export { pdfPageCount } from './pdf-pages.js';
export { DEMO_ORDER_IDS, lookupOrder, type OrderInfo } from './demo-orders.js';
export type { FileRefPart, HistoryMessage, HistoryPart } from './history.js';
