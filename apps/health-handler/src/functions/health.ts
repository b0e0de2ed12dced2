export const handler = async (): Promise<{ statusCode: number }> => ({ statusCode: 200 });
