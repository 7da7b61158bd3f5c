#include <cstddef>
#include <stdexcept>
#include <vector>

class Matrix {
public:
    Matrix(std::size_t rows, std::size_t cols) : rows_(rows), cols_(cols), data_(rows * cols) {}

    double& at(std::size_t r, std::size_t c) {
        if (r >= rows_ || c >= cols_) {
            throw std::out_of_range("Matrix::at");
        }
        return data_[r * cols_ + c];
    }

    Matrix transpose() const {
        throw std::logic_error("not implemented");
    }

    Matrix operator*(const Matrix& other) const {
        if (cols_ != other.rows_) {
            throw std::invalid_argument("Matrix::operator*: shapes do not match");
        }
        Matrix result(rows_, other.cols_);
        for (std::size_t i = 0; i < rows_; ++i) {
            for (std::size_t j = 0; j < other.cols_; ++j) {
                double sum = 0;
                for (std::size_t k = 0; k < cols_; ++k) {
                    sum += data_[i * cols_ + k] * other.data_[k * other.cols_ + j];
                }
                result.data_[i * other.cols_ + j] = sum;
            }
        }
        return result;
    }

private:
    std::size_t rows_;
    std::size_t cols_;
    std::vector<double> data_;
};

/*
 * Determinant by LU decomposition with partial pivoting. Returns 0 for a singular
 * matrix. The input
