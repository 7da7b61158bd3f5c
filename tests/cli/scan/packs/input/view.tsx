export const Comment = ({ body }: { body: string }) => <div dangerouslySetInnerHTML={{ __html: body }} />;
export const Plain = ({ body }: { body: string }) => <div>{body}</div>;
